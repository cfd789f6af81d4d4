package demo

import (
	"fmt"
	"math/rand/v2"

	"github.com/onewindow/onewindow/internal/identity"
)

// Made-up people and firms for generated history. Every ID number passes
// its check (GB 11643, GB 32100) and carries the demo district's unassigned
// region code 320120, so none is a real person's or firm's.

var (
	surnames   = []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力宇鹏飞鑫波宁浩凯佳欣悦怡晨阳雪梅海燕春林峰志国庆东海")
	firmWords  = []string{"恒通", "瑞丰", "华信", "宏达", "锦程", "和顺", "嘉禾", "盛源", "同创", "新禾", "润泽", "永安", "金桥", "远航", "百川", "众鑫", "安康", "友邦", "德润", "晨光"}
	firmTrades = []string{"餐饮管理", "商贸", "建筑工程", "科技", "物业管理", "文化传媒", "医疗器械", "食品", "装饰工程", "物流", "教育咨询", "酒店管理"}
	firmForms  = []string{"有限公司", "有限责任公司", "股份有限公司"}
	streets    = []string{"江川大道", "滨河路", "新桥东街", "柳荫路", "望江路", "学府路", "民主路", "人民路", "临江街", "文昌巷"}
)

// PersonName returns a made-up Chinese name of two or three characters.
func PersonName(r *rand.Rand) string {
	name := string(surnames[r.IntN(len(surnames))]) + string(givenChars[r.IntN(len(givenChars))])
	if r.IntN(3) > 0 {
		name += string(givenChars[r.IntN(len(givenChars))])
	}
	return name
}

// FirmName returns a made-up company name of the demo district.
func FirmName(r *rand.Rand) string {
	return DistrictName + firmWords[r.IntN(len(firmWords))] + firmTrades[r.IntN(len(firmTrades))] + firmForms[r.IntN(len(firmForms))]
}

// Address returns a made-up street address of the demo district.
func Address(r *rand.Rand) string {
	return fmt.Sprintf("%s%s%d号", DistrictName, streets[r.IntN(len(streets))], 1+r.IntN(300))
}

// ResidentID returns a made-up valid resident ID of someone born between
// 1950 and 2005.
func ResidentID(r *rand.Rand) string {
	born := fmt.Sprintf("%04d%02d%02d", 1950+r.IntN(56), 1+r.IntN(12), 1+r.IntN(28))
	return identity.CompleteResidentID(fmt.Sprintf("320120%s%03d", born, r.IntN(1000)))
}

// CreditCode returns a made-up valid unified social credit code of an
// enterprise registered by market regulation (91…).
func CreditCode(r *rand.Rand) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	b := []byte("91320120")
	for range 9 {
		b = append(b, chars[r.IntN(len(chars))])
	}
	return identity.CompleteCreditCode(string(b))
}

// Mobile returns a made-up mobile number.
func Mobile(r *rand.Rand) string {
	return fmt.Sprintf("1%d%09d", 3+r.IntN(7), r.IntN(1_000_000_000))
}
