package keys

import (
	"github.com/mailseal/mailseal/internal/cms"
	"github.com/mailseal/mailseal/internal/trust"
)

// ImportForDecryption reads a PKCS #12 file to read encrypted mail with. Unlike Import it
// accepts a certificate that cannot sign (an encryption-only certificate, as some CAs issue
// beside a signing one) and one that has expired or was renewed: mail encrypted to it still
// has to be read. It refuses a key that is not the certificate's and a certificate whose
// key usage forbids encryption.
func ImportForDecryption(p12 []byte, password string) (*Identity, error) {
	id, err := decode(p12, password)
	if err != nil {
		return nil, err
	}
	if err := checkKey(id.Certificate, id.Key); err != nil {
		return nil, err
	}
	if p, _ := trust.EncryptionUsage(id.Certificate); p != trust.OK {
		return nil, refuse(ProblemKeyUsage, "This certificate may not be used for encryption: its key usage allows only %s.", keyUsageNames(id.Certificate.KeyUsage))
	}
	return id, nil
}

// DecryptionKey returns the identity as cms.Decrypt takes it.
func (id *Identity) DecryptionKey() cms.Key {
	return cms.Key{Certificate: id.Certificate, Private: id.Key}
}
