// The crontab describer: the job rows' plain words beside the expression, in English and in zh-CN.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeCron, type Translator } from '../../../src/providers/cronText';

const fill = (message: string, args: unknown[]): string => message.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)]));
const english: Translator = { t: (message, ...args) => fill(message, args) };
const zhBundle: Record<string, string> = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8'));
const chinese: Translator = {
  t: (message, ...args) => {
    const zh = zhBundle[message];
    assert.ok(zh, `no zh-CN translation of "${message}"`);
    return fill(zh, args);
  },
};

describe('crontab in words', () => {
  const cases: [string, string | undefined][] = [
    ['0 0 1 1 * ?', 'at 01:00 on day 1 of every month'],
    ['0 0 1 * * ?', 'at 01:00 every day'],
    ['0 30 9 ? * MON-FRI', 'at 09:30 every Monday to Friday'],
    ['0 0 6 ? * 2,4', 'at 06:00 every Monday, Wednesday'],
    ['0 15 23 L * ?', 'at 23:15 on the last day of every month'],
    ['0 0 12 1,15 * ?', 'at 12:00 on day 1, 15 of every month'],
    ['0 0 8 1 JAN ?', 'at 08:00 on day 1 of January'],
    ['30 5 4 * * ? *', 'at 04:05:30 every day'],
    ['0 0 0/1 * * ?', 'every hour at minute 00'],
    ['0 20 */6 * * ?', 'every 6 hours at minute 20'],
    ['0 */5 * * * ?', 'every 5 minutes'],
    ['0 * * * * ?', 'every minute'],
    ['*/10 * * * * ?', 'every 10 seconds'],
    // Forms not covered stand alone (no words rather than wrong words).
    ['0 0 1-5 * * ?', undefined],
    ['0 0 1 ? * 2#3', undefined],
    ['0 0 1 * * ? 2027', undefined],
    ['0 0 1 * *', undefined],
    ['not a cron at all', undefined],
    ['0 0 25 * * ?', undefined],
  ];
  for (const [expression, words] of cases) {
    it(`${expression} → ${words ?? '(expression alone)'}`, () => assert.equal(describeCron(expression, english), words));
  }

  it('reads in zh-CN too', () => {
    assert.equal(describeCron('0 0 1 1 * ?', chinese), '每月 1 日 01:00');
    assert.equal(describeCron('0 0 1 * * ?', chinese), '每天 01:00');
    assert.equal(describeCron('0 30 9 ? * MON-FRI', chinese), '每周一至周五 09:30');
    assert.equal(describeCron('0 */5 * * * ?', chinese), '每 5 分钟');
    assert.equal(describeCron('0 0 8 1 JAN ?', chinese), '1 月 1 日 08:00');
  });

  it('has a zh-CN translation for every phrase it can produce', () => {
    const all = ['0 0 1 1 * ?', '0 0 1 * * ?', '0 0 1 * 3 ?', '0 0 1 L * ?', '0 0 1 L 3 ?', '0 0 1 4 3 ?', '0 0 1 ? * MON-SUN', '0 0 1 ? * 1,2,3,4,5,6,7', '0 0 0/1 * * ?', '0 0 0/2 * * ?', '0 * * * * ?', '0 0/2 * * * ?', '* * * * * ?', '0/2 * * * * ?'];
    for (const expression of all) assert.ok(describeCron(expression, chinese), expression);
    for (let month = 1; month <= 12; month++) assert.ok(describeCron(`0 0 1 1 ${month} ?`, chinese));
  });
});
