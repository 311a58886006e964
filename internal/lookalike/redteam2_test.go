package lookalike

import "testing"

// Phishing domains seen beside real names that the added-word list missed: a word of the list
// with an m (compared as written, never as the skeleton the name is: "payrnent"), a top-level
// domain written into the name ("paypal-com.net"), a refund or an invoice, an ID, a team, "my".
func TestAddedWordsPhishingUses(t *testing.T) {
	x := NewIndex([]string{"paypal.com", "acme.com"})
	for _, d := range []string{"paypal-payments.com", "paypal-confirm.com", "paypal-customer.net", "paypal-com.net", "paypalcom.org", "paypal-refund.com", "paypal-invoice.com", "paypal-invoices.net",
		"paypal-id.com", "paypalid.com", "paypal-team.com", "mypaypal.com", "my-paypal.net", "acme-net.org"} {
		if m, ok := x.Match(d); !ok || m.Known == "" {
			t.Errorf("Match(%q): no look-alike", d)
		}
	}
	// Still quiet: another organization's name with an ordinary word.
	for _, d := range []string{"acme-bank.com", "acme-group.net", "acme-shop.com"} {
		if m, ok := x.Match(d); ok {
			t.Errorf("Match(%q) = %+v", d, m)
		}
	}
}
