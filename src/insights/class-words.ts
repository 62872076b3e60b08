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

/**
 * An issue class in words, for titles and reports: `dangling_dns_record` -> `Dangling
 * DNS record`, `min_tls_version_1_0` -> `Min TLS version 1.0` (snake, kebab or spaced).
 * The caller strips control characters from the (untrusted) class first.
 */
export function classInWords(issueClass: string): string {
  const out: string[] = [];
  for (const token of issueClass.split(/[\s_-]+/).filter(Boolean)) {
    const previous = out[out.length - 1];
    // Consecutive numbers are a version: 1_0 -> 1.0.
    if (/^\d+$/.test(token) && previous !== undefined && /^\d+(\.\d+)*$/.test(previous)) {
      out[out.length - 1] = `${previous}.${token}`;
      continue;
    }
    out.push(WORDS[token.toLowerCase()] ?? token.toLowerCase());
  }
  const text = out.join(' ');
  return text ? text[0]!.toUpperCase() + text.slice(1) : '';
}
