import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
it('p', () => {
  const nodeRequire = createRequire(__filename);
  const { parse } = nodeRequire('csv-parse/sync') as typeof import('csv-parse/sync');
  const f = '/work/shared/datasets/olist/olist_orders_dataset.csv.gz';
  let t = Date.now(); const buf = zlib.gunzipSync(fs.readFileSync(f)); console.log('gunzip', Date.now() - t);
  t = Date.now(); const rows = parse(buf, { bom: true }) as string[][]; console.log('parse buf', Date.now() - t, rows.length, Array.isArray(rows), rows instanceof Array);
  t = Date.now(); let n=0; for (const r of rows) n+= r[0].length; console.log('iter', Date.now() - t, n);
  expect(rows[0]).toEqual(['order_id','customer_id','order_status','order_purchase_timestamp','order_approved_at','order_delivered_carrier_date','order_delivered_customer_date','order_estimated_delivery_date']);
});
