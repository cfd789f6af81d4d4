package page

// Rating forms (好差评), on the pad, online and in the online hall.

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/onewindow/onewindow/internal/rating"
)

// RatingLink is a case's online rating page, with its check code: what the
// delivery receipt's QR code holds.
func RatingLink(r *http.Request, number, code string) string {
	link := SiteBase(r) + "/rate/" + url.PathEscape(number)
	if code != "" {
		link += "?code=" + url.QueryEscape(code)
	}
	return link
}

// The choices a rating form offers, with what was chosen: templates get
// them ready-made, checked or not.

// LevelChoice is one of the five levels as a big button.
type LevelChoice struct {
	Value   int
	Label   string
	Face    string // the face drawn on the pad's button
	Checked bool
}

// TagChoice is one fixed tag as a check box.
type TagChoice struct {
	Tag     rating.Tag
	Bad     bool
	Checked bool
}

var levelFaces = map[rating.Level]string{
	rating.VerySatisfied: "😄", rating.Satisfied: "🙂", rating.FairlySatisfied: "😐",
	rating.Dissatisfied: "🙁", rating.VeryDissatisfied: "😣",
}

// RatingChoices returns the levels and tags with those in form checked.
func RatingChoices(form url.Values) ([]LevelChoice, []TagChoice) {
	var levels []LevelChoice
	for _, l := range rating.Levels {
		levels = append(levels, LevelChoice{Value: int(l), Label: l.Label(), Face: levelFaces[l],
			Checked: form.Get("level") == strconv.Itoa(int(l))})
	}
	var tags []TagChoice
	for _, t := range rating.Tags() {
		tags = append(tags, TagChoice{Tag: t, Bad: slices.Contains(rating.BadTags, t), Checked: slices.Contains(form["tags"], string(t))})
	}
	return levels, tags
}

// RatingInput reads a rating form. A level that is not a number reads as
// 0, which Validate refuses next to the field.
func RatingInput(form url.Values, ch rating.Channel) rating.Input {
	level, _ := strconv.Atoi(form.Get("level"))
	in := rating.Input{Level: rating.Level(level), Text: form.Get("text"), Channel: ch,
		RealName: form.Get("real_name") == "1", Name: form.Get("name"), Phone: form.Get("phone")}
	for _, t := range form["tags"] {
		in.Tags = append(in.Tags, rating.Tag(t))
	}
	return in
}
