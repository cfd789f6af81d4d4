package queue

// WaitingCount is the number of waiting tickets of one category.
type WaitingCount struct {
	Category string `json:"category"`
	Waiting  int    `json:"waiting"`
}
