module github.com/mailseal/mailseal

go 1.26.8

require (
	github.com/emersion/go-message v0.18.2
	github.com/smallstep/pkcs7 v0.2.3
	github.com/stretchr/testify v1.12.1
	golang.org/x/crypto v0.59.0
	golang.org/x/net v0.62.0
	golang.org/x/text v0.44.0
	software.sslmate.com/src/go-pkcs12 v0.7.4
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
