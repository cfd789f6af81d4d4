package notify

import "testing"

func TestMaskRecipient(t *testing.T) {
	tests := []struct{ in, want string }{
		{"13812345678", "138****5678"},
		{" 13812345678 ", "138****5678"},
		{"+8613812345678", "+86*******5678"},
		{"12345678", "123*5678"},
		{"1234567", "*******"},
		{"", ""},
		{"alice@example.com", "a***@example.com"},
		{"a@example.com", "a***@example.com"},
		{"张三@example.cn", "张***@example.cn"},
		{"张三 <zhangsan@example.cn>", "z***@example.cn"},
		{"@example.com", "***@example.com"},
	}
	for _, tt := range tests {
		if got := MaskRecipient(tt.in); got != tt.want {
			t.Errorf("MaskRecipient(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
