// Package cms reads, verifies and builds CMS SignedData (RFC 5652) as S/MIME uses it.
package cms
