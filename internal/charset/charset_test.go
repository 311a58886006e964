package charset

import "testing"

func TestDecode(t *testing.T) {
	for _, tc := range []struct{ label, in, want string }{
		{"gbk", "\xc4\xe3\xba\xc3", "你好"},
		{"GB2312", "\xc4\xe3\xba\xc3", "你好"}, // the Encoding Standard reads GB2312 as GBK
		{"shift_jis", "\x82\xb1\x82\xf1", "こん"},
		{"iso-8859-1", "Gr\xfc\xdfe", "Grüße"}, // windows-1252, as in a browser
		{"utf-8", "ok \xff", "ok \uFFFD"},
	} {
		if got, ok := Decode(tc.label, []byte(tc.in)); !ok || got != tc.want {
			t.Errorf("Decode(%q) = %q, %v; want %q", tc.label, got, ok, tc.want)
		}
	}
	if _, ok := Decode("x-no-such-charset", []byte("a")); ok {
		t.Error("an unknown label decoded")
	}
}
