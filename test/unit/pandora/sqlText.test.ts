// Pandora SQL text reading: what is being typed, identifiers, $(…) variables and error positions.
import * as assert from 'node:assert/strict';
import { errorPosition, identifierAt, inLiteralOrComment, typingContext, unknownVariables } from '../../../src/languages/pandoraSql/sqlText';

describe('pandora-sql text', () => {
  it('tells a variable, a table member and a word apart, and nothing inside strings or comments', () => {
    const text = "SELECT lo FROM logs WHERE logs.ho = '$(ye' -- c\nAND $(re";
    assert.deepEqual(typingContext(text, 9), { kind: 'word', prefix: 'lo', start: 7 });
    const member = text.indexOf('.ho') + 3;
    assert.deepEqual(typingContext(text, member), { kind: 'member', qualifier: 'logs', prefix: 'ho', start: member - 2 });
    // $( completes even in a string: magic variables are substituted in literals too.
    assert.equal(typingContext(text, text.indexOf("$(ye'") + 4).kind, 'variable');
    assert.equal(typingContext(text, text.indexOf('-- c') + 4).kind, 'none');
    assert.deepEqual(typingContext(text, text.length), { kind: 'variable', prefix: 're', start: text.length - 2 });
    assert.equal(inLiteralOrComment('a /* b */ c', 10), false);
    assert.equal(inLiteralOrComment('a /* b */ c', 5), true);
  });
  it('finds the identifier under the cursor with its qualifier, and knows a $(variable)', () => {
    const text = 'SELECT logs.host, $(year) FROM logs';
    assert.deepEqual(identifierAt(text, 14), { name: 'host', qualifier: 'logs', start: 12, end: 16, variable: false });
    assert.equal(identifierAt(text, 21)?.variable, true);
    assert.equal(identifierAt(text, 17), undefined);
  });
  it('reports $(…) that are neither built in nor params', () => {
    assert.deepEqual(unknownVariables('x = $(year) AND r = $(region) AND z = $(zone)', ['region']), [{ name: 'zone', offset: 38, length: 7 }]);
  });
  it('reads Spark positions (line 1-based, pos 0-based) and nothing else', () => {
    assert.deepEqual(errorPosition("cannot resolve '`x`' given input columns: [a]; line 2 pos 7"), { line: 1, character: 7 });
    assert.deepEqual(errorPosition("mismatched input 'FORM' expecting <EOF>(line 1, pos 12)"), { line: 0, character: 12 });
    assert.equal(errorPosition('only SELECT statements are supported'), undefined);
  });
});
