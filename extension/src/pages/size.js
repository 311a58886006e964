// A size as a person reads it: bytes below a kilobyte, whole kilobytes below a megabyte, then
// megabytes to at most one decimal. A 1 KB file is "1 KB", never "0.0 MB".
const KiB = 1024;
const MiB = 1024 * KiB;

/** formatSize writes n bytes for lang (a BCP 47 tag): digits and separators are the locale's. */
export function formatSize(n, lang = 'en') {
  const number = (x) => new Intl.NumberFormat(lang, { maximumFractionDigits: 1 }).format(x);
  if (n < KiB) return `${number(n)} B`;
  const kb = Math.round(n / KiB);
  if (kb < 1024) return `${number(kb)} KB`;
  return `${number(Math.round(n / MiB * 10) / 10)} MB`;
}
