/** Words that keep their own spelling when an issue class is written out. */
const WORDS: Record<string, string> = {
  a: 'A',
  aaaa: 'AAAA',
  api: 'API',
  caa: 'CAA',
  cname: 'CNAME',
  dkim: 'DKIM',
  dmarc: 'DMARC',
  dns: 'DNS',
  dnssec: 'DNSSEC',
  dss: 'DSS',
  hsts: 'HSTS',
  http: 'HTTP',
  https: 'HTTPS',
  ip: 'IP',
  ipv4: 'IPv4',
  ipv6: 'IPv6',
  mfa: 'MFA',
  '2fa': '2FA',
  mongodb: 'MongoDB',
  mx: 'MX',
  mysql: 'MySQL',
  pci: 'PCI',
  postgresql: 'PostgreSQL',
  rdp: 'RDP',
  redis: 'Redis',
  smb: 'SMB',
  smtp: 'SMTP',
  spf: 'SPF',
  ssh: 'SSH',
  ssl: 'SSL',
  tls: 'TLS',
  url: 'URL',
  waf: 'WAF',
};

// Not words, whatever the output: terminal escape sequences (CSI; OSC/DCS/PM/APC strings
// up to BEL or ST; two-byte escapes) first, then any C0/C1 control, bidi override or
// isolate ("Trojan Source") and lone surrogate left.
const ESCAPES =
  /\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]?/g;
const NOT_TEXT = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * An issue class in words, for titles, reports and summaries: `dangling_dns_record` ->
 * `Dangling DNS record`, `min_tls_version_1_0` -> `Min TLS version 1.0` (snake, kebab or
 * spaced). Takes the API's untrusted value as it is; `fallback` when it has no words.
 */
export function classInWords(issueClass: unknown, fallback = 'Insight'): string {
  const text = issueClass === undefined || issueClass === null ? '' : String(issueClass);
  const out: string[] = [];
  for (const token of text
    .replace(ESCAPES, '')
    .replace(NOT_TEXT, '')
    .split(/[\s_-]+/)
    .filter(Boolean)) {
    const previous = out[out.length - 1];
    // Consecutive numbers are a version: 1_0 -> 1.0.
    if (/^\d+$/.test(token) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) {
      out[out.length - 1] = `${previous}.${token}`;
      continue;
    }
    out.push(WORDS[token.toLowerCase()] ?? token.toLowerCase());
  }
  const words = out.join(' ');
  return words ? words[0]!.toUpperCase() + words.slice(1) : fallback;
}
