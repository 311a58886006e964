package smime

import (
	"fmt"
	"strings"

	"github.com/mailseal/mailseal/internal/classify"
	"github.com/mailseal/mailseal/internal/mime"
)

// maxShownParts bounds how many parts Parts returns: a decrypted message is shown part by
// part, and a hostile one must not make the window build thousands of links.
const maxShownParts = 100

// maxNameRunes bounds a part's name, as file systems bound a file's.
const maxNameRunes = 255

// Part is one leaf of decrypted content as a reader's view shows it: a body to display (text
// or HTML) or an attachment to save. Data is decoded from its transfer encoding; text is left
// in its charset (the view decodes it, as the module leaves charsets to the browser).
type Part struct {
	Path    string `json:"path" js:"path"`
	Type    string `json:"type" js:"type"` // the media type, lower case
	Charset string `json:"charset,omitempty" js:"charset"`
	// Name is the file name the part gives itself, if any, made safe to show and to save under:
	// its last path component only, without control or format characters (a right-to-left
	// override would make "invoice<RLO>fdp.exe" read "invoiceexe.pdf"), at most maxNameRunes.
	Name string `json:"name,omitempty" js:"name"`
	// Attachment is true for a part to save rather than show: one marked as an attachment,
	// one with a file name that is not inline text, and anything that is not text.
	Attachment bool   `json:"attachment" js:"attachment"`
	Data       []byte `json:"-" js:"data"`
}

// Parts lists the leaves of content (a decrypted MIME entity, as Opened.Content), in order.
// A message/rfc822 part is one attachment, not opened. A part whose transfer encoding cannot
// be undone is an error: the view says the content is damaged rather than show half of it.
func Parts(content []byte) ([]Part, error) {
	root, err := mime.Parse(content, mime.DefaultLimits)
	if err != nil {
		return nil, err
	}
	var out []Part
	walk(root, func(e *mime.Entity) bool {
		if err != nil || len(e.Children) > 0 {
			return err == nil
		}
		if len(out) == maxShownParts {
			err = fmt.Errorf("smime: the content has more than %d parts", maxShownParts)
			return false
		}
		var data []byte
		if data, err = e.Decoded(); err != nil {
			return false
		}
		name := fileName(e.Filename())
		text := e.MediaType == "text/plain" || e.MediaType == "text/html"
		out = append(out, Part{
			Path: e.Path, Type: e.MediaType, Charset: e.Params["charset"], Name: name, Data: data,
			Attachment: !text || e.Disposition() == "attachment" || (name != "" && e.Disposition() != "inline"),
		})
		return true
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// fileName is name as Part.Name keeps it.
func fileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return classify.CleanText(name, maxNameRunes)
}
