// Builds the explorer's CSV fixtures from the CDNOW sample (tests/data/CDNOW_sample.txt):
//   cdnow_orders.csv      customer,date,amount (ISO dates) — one row per CDNOW transaction (also
//                         copied to www/public/sample/ for the explorer's sample-data button);
//                         customer is the sample's own id (1…2357, as in cdnow_customers_summary.csv)
//   orders_malformed.csv  a small order log with known bad rows (line numbers asserted by the e2e test)
// Usage: node tests/data/make_fixtures.mjs [path/to/CDNOW_sample.txt]
import { readFileSync, writeFileSync } from 'node:fs';

const src = process.argv[2] ?? new URL('./CDNOW_sample.txt', import.meta.url);
const out = ['customer,date,amount'];
for (const line of readFileSync(src, 'utf8').split('\n')) {
  const f = line.trim().split(/\s+/);
  if (f.length !== 5) continue;
  const [, id, ymd, , amount] = f; // master id, sample id, yyyymmdd, quantity, amount
  out.push(`${Number(id)},${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)},${amount}`);
}
writeFileSync(new URL('cdnow_orders.csv', import.meta.url), out.join('\n') + '\n');
// the explorer's "try the sample data" button serves the same file from the page's own origin
writeFileSync(new URL('../../www/public/sample/cdnow_orders.csv', import.meta.url), out.join('\n') + '\n');
console.log(`cdnow_orders.csv (and www/public/sample/): ${out.length - 1} orders`);

// Line numbers count the header as line 1. Bad rows: 4 (bad date), 6 (empty customer),
// 8 (amount not a number), 10 (too few columns), 12 (impossible date 2024-02-30), 14 (negative amount).
const malformed = [
  '客户,下单日期,实付金额',
  'A001,2024-01-03,59.00',
  'A002,2024-01-05,120.50',
  'A003,2024-13-45,80.00',
  'A001,2024-01-20,"1,299.00"',
  ',2024-01-21,35.00',
  'A004,2024-02-01,¥88.00',
  'A002,2024-02-03,abc',
  'A005,2024-02-10,45.00',
  'A006,2024-02-11',
  'A001,2024-02-15,66.00',
  'A007,2024-02-30,19.90',
  'A003,2024-03-01,72.00',
  'A008,2024-03-02,-10.00',
  'A002,2024-03-05,130.00',
];
writeFileSync(new URL('orders_malformed.csv', import.meta.url), malformed.join('\n') + '\n');
console.log(`orders_malformed.csv: ${malformed.length - 1} rows, 6 malformed`);
