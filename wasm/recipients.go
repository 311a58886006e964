//go:build js && wasm

package main

// The certificates to encrypt to (internal/recipient), for the compose window before it
// offers Encrypt, and for the background before it calls encrypt:
//
//	mailseal.recipientCertificates(account: string|null, addresses: string[], options?) → Promise<{recipients, files}>
//	    for each address, the certificate to encrypt to: from a file the user imported
//	    (options.files) or from the account's sender memory (the last validly signed mail
//	    from that address; null or an account without a loaded memory: none), each validated
//	    by smime.CheckRecipient. recipients[i]: {address, usable, source: "file"|"memory"|"",
//	    level, shown (what the CA validated, as a banner shows it), certificate (DER) and
//	    chain (DER intermediates) and gcm (their signed mail announced AES-256-GCM: pass it
//	    to encrypt) when usable, why (a sentence code) and reason (its English)
//	    when not}. files[i]: {addresses: the mailboxes its certificates are issued to} or
//	    {why, reason} for a file that holds no certificate.
//	    options: {files: Uint8Array[] (a .cer, .pem or .p7c file's bytes), now, roots, userRoots}.

import (
	"crypto/x509"
	"errors"
	"syscall/js"
	"time"

	"github.com/mailseal/mailseal/internal/recipient"
	"github.com/mailseal/mailseal/internal/sentence"
	"github.com/mailseal/mailseal/internal/smime"
)

const (
	maxRecipientFiles    = 16
	maxRecipientFileSize = 256 << 10
)

func recipientCertificatesCall(args []js.Value) (func() (js.Value, error), error) {
	account := ""
	if a := arg(args, 0); !a.IsNull() && !a.IsUndefined() {
		var err error
		if account, err = argAccount(args); err != nil {
			return nil, err
		}
	}
	list := arg(args, 1)
	if !list.InstanceOf(arrayClass) || list.Length() > maxEncryptionRecipients {
		return nil, badArgument("recipientCertificates needs an array of at most %d addresses, not %s", maxEncryptionRecipients, describe(list))
	}
	var addrs []string
	for i := range list.Length() {
		a, err := argString(list.Index(i), "an address")
		if err != nil {
			return nil, err
		}
		if len(a) > maxAccountLength {
			return nil, badArgument("an address is longer than %d characters", maxAccountLength)
		}
		addrs = append(addrs, a)
	}
	fields, err := optionsObject(arg(args, 2), "files", "now", "roots", "userRoots")
	if err != nil {
		return nil, err
	}
	var data [][]byte
	if f, ok := fields["files"]; ok && !f.IsUndefined() {
		if !f.InstanceOf(arrayClass) || f.Length() > maxRecipientFiles {
			return nil, badArgument("options.files must be an array of at most %d files", maxRecipientFiles)
		}
		for i := range f.Length() {
			b, err := argBytes(f.Index(i), "a certificate file", maxRecipientFileSize)
			if err != nil {
				return nil, err
			}
			data = append(data, b)
		}
	}
	opts, err := trustOptions(fields)
	if err != nil {
		return nil, err
	}
	return func() (js.Value, error) {
		// Built with Set, not plain(): new struct types would cost the module their reflection data.
		var files []recipient.File
		fileList := arrayClass.New()
		for _, b := range data {
			o := objectClass.New()
			addrs := arrayClass.New()
			o.Set("addresses", addrs)
			f, err := recipient.ReadFile(b)
			if fe := (*recipient.FileError)(nil); errors.As(err, &fe) {
				setWhy(o, fe.Why)
			} else {
				files = append(files, f)
				for _, a := range f.Addresses() {
					addrs.Call("push", a)
				}
			}
			fileList.Call("push", o)
		}
		var choices []recipient.Choice
		memories.Lock()
		choices = recipient.Find(addrs, memories.byAccount[account], files, opts)
		memories.Unlock()
		list := arrayClass.New()
		for _, c := range choices {
			o := objectClass.New()
			o.Set("address", c.Address)
			o.Set("usable", c.Usable)
			o.Set("source", string(c.Source))
			if c.Usable {
				if c.Level != "" {
					o.Set("level", string(c.Level))
				}
				o.Set("shown", c.Shown)
				o.Set("certificate", bytesToJS(c.Certificate.Raw))
				chain := arrayClass.New()
				for _, ca := range c.Chain {
					chain.Call("push", bytesToJS(ca.Raw))
				}
				o.Set("chain", chain)
				o.Set("gcm", c.GCM)
			} else {
				setWhy(o, c.Why)
			}
			list.Call("push", o)
		}
		out := objectClass.New()
		out.Set("recipients", list)
		out.Set("files", fileList)
		return out, nil
	}, nil
}

// setWhy sets o.why (the sentence: code and args) and o.reason (its English).
func setWhy(o js.Value, why sentence.Text) {
	w := objectClass.New()
	w.Set("code", why.Code)
	args := arrayClass.New()
	for _, a := range why.Args {
		args.Call("push", a)
	}
	w.Set("args", args)
	o.Set("why", w)
	o.Set("reason", why.String())
}

// trustOptions reads the now, roots and userRoots options of encrypt and recipientCertificates.
func trustOptions(fields map[string]js.Value) (smime.Options, error) {
	opts := smime.Options{Now: time.Now()}
	var err error
	if f, ok := fields["now"]; ok && !f.IsUndefined() {
		if opts.Now, err = argTime(f, "options.now"); err != nil {
			return opts, err
		}
	}
	if opts.Roots, err = optionalCertificates(fields, "roots"); err != nil {
		return opts, err
	}
	opts.UserRoots, err = optionalCertificates(fields, "userRoots")
	return opts, err
}

// optionalCertificates reads options[key] as argCertificates does; absent is none.
func optionalCertificates(fields map[string]js.Value, key string) ([]*x509.Certificate, error) {
	f, ok := fields[key]
	if !ok || f.IsUndefined() {
		return nil, nil
	}
	return argCertificates(f, "options."+key)
}
