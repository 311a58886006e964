// The sender memory's warnings (the core's report.memoryWarnings, internal/memory): what a
// message does against what this account has seen from its sender or domain. Each has a code,
// whose sentence is the locale message memory_<code> quoting its args; a code this version
// does not know is shown as the core's English sentence.

const severities = ['danger', 'caution', 'note'];

/** memoryWarnings returns the report's memory warnings that are well formed. */
export function memoryWarnings(report) {
  const ws = Array.isArray(report?.memoryWarnings) ? report.memoryWarnings : [];
  return ws.filter((w) => w && typeof w.code === 'string' && severities.includes(w.severity) && Array.isArray(w.args)).slice(0, 8);
}

/** memorySeverity is the gravest severity among them, or null. */
export function memorySeverity(report) {
  const ws = memoryWarnings(report);
  return severities.find((s) => ws.some((w) => w.severity === s)) ?? null;
}

/** memoryItems: [[messageKey, ...args], …], or [null, detail] for a code this version lacks. */
export function memoryItems(report, has = () => true) {
  return memoryWarnings(report).map((w) => {
    const key = /^memory-[a-z-]+$/.test(w.code) ? w.code.replaceAll('-', '_') : '';
    const args = w.args.slice(0, 9).map((a) => String(a).slice(0, 300));
    return key && has(key) ? [key, ...args] : [null, String(w.detail ?? '').slice(0, 600)];
  });
}
