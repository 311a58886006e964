# Unicode confusables (UTS #39) for the look-alike check (internal/lookalike). `make confusables`
# regenerates the table from the module proxy and prints the Unicode version it holds; the
# table is committed, so builds and CI never fetch it.
.PHONY: confusables

confusables:
	$(GO) run internal/lookalike/gen_confusables.go -o internal/lookalike/confusables_table.go
