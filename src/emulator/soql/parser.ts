import type {
  ComparisonOperator,
  Condition,
  FieldPath,
  Literal,
  OrderItem,
  SelectItem,
  SelectQuery,
} from './ast.ts';
import { isDateLiteralName, dateLiteralTakesN } from './date-literals.ts';
import { tokenize, type Token } from './lexer.ts';
import { malformedQuery, unexpectedToken } from './soql-errors.ts';

/** Words SOQL reserves: they end a field list or start a clause, so they cannot name a field. */
const RESERVED = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'in',
  'like',
  'order',
  'by',
  'asc',
  'desc',
  'nulls',
  'limit',
  'offset',
  'group',
  'having',
  'with',
  'for',
  'using',
  'includes',
  'excludes',
  'null',
  'true',
  'false',
  'typeof',
  'update',
  'view',
  'reference',
]);

const COMPARISON: Readonly<Record<string, ComparisonOperator>> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

/** Parses SOQL into a `SelectQuery`; raises MALFORMED_QUERY as Salesforce words it. */
export function parseSoql(source: string): SelectQuery {
  const parser = new Parser(tokenize(source));
  const query = parser.query(false);
  parser.expectEnd();
  return query;
}

class Parser {
  #index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  query(nested: boolean): SelectQuery {
    this.#keyword('select');
    const select = this.#selectList(nested);
    this.#keyword('from');
    const from = this.#name();
    const where = this.#isKeyword('where') ? (this.#advance(), this.#condition()) : undefined;
    let orderBy: OrderItem[] = [];
    if (this.#isKeyword('order')) {
      this.#advance();
      this.#keyword('by');
      orderBy = this.#orderList();
    }
    const limit = this.#isKeyword('limit') ? (this.#advance(), this.#count()) : undefined;
    const offset = this.#isKeyword('offset') ? (this.#advance(), this.#count()) : undefined;
    const tracking = nested ? undefined : this.#forClause();
    return { select, from, where, orderBy, limit, offset, ...(tracking ? { tracking } : {}) };
  }

  /** `FOR VIEW`, `FOR REFERENCE`; `FOR UPDATE` locks rows, which only Apex may ask for. */
  #forClause(): 'view' | 'reference' | undefined {
    if (!this.#isKeyword('for')) return undefined;
    this.#advance();
    if (this.#isKeyword('view') || this.#isKeyword('reference')) {
      const kind = this.#peek().text.toLowerCase() === 'view' ? 'view' : 'reference';
      this.#advance();
      return kind;
    }
    if (this.#isKeyword('update'))
      throw malformedQuery('FOR UPDATE is not allowed in the API: only Apex can lock rows');
    throw unexpectedToken(this.#peek().text);
  }

  expectEnd(): void {
    const token = this.#peek();
    if (token.kind !== 'eof') throw unexpectedToken(token.text);
  }

  #selectList(nested: boolean): SelectItem[] {
    const items: SelectItem[] = [this.#selectItem(nested)];
    while (this.#isPunct(',')) {
      this.#advance();
      items.push(this.#selectItem(nested));
    }
    return items;
  }

  #selectItem(nested: boolean): SelectItem {
    const token = this.#peek();
    if (token.kind === 'punct' && token.text === '(') {
      if (nested) throw malformedQuery('Nesting of child relationship subqueries is not supported');
      this.#advance();
      const query = this.query(true);
      this.#punct(')');
      return { kind: 'subquery', query };
    }
    const next = this.tokens[this.#index + 1];
    if (token.kind === 'ident' && next?.kind === 'punct' && next.text === '(') {
      // The APIs the emulator serves need COUNT() only; aggregates and functions are refused plainly.
      const close = this.tokens[this.#index + 2];
      if (token.text.toLowerCase() === 'count' && close?.kind === 'punct' && close.text === ')') {
        this.#index += 3;
        return { kind: 'count' };
      }
      throw malformedQuery(
        `the emulator does not support ${token.text}(...) in SELECT; use COUNT() or plain fields`,
      );
    }
    return { kind: 'field', path: this.#path() };
  }

  #path(): FieldPath {
    const segments = [this.#name()];
    while (this.#isPunct('.')) {
      this.#advance();
      segments.push(this.#name());
    }
    return { segments, text: segments.join('.') };
  }

  #name(): string {
    const token = this.#peek();
    if (token.kind !== 'ident' || RESERVED.has(token.text.toLowerCase()))
      throw unexpectedToken(token.text);
    this.#advance();
    return token.text;
  }

  /** SOQL needs parentheses to mix AND and OR (`a AND b OR c` is rejected at the OR). */
  #condition(): Condition {
    const first = this.#unary();
    const connective = this.#peek();
    if (!this.#isKeyword('and') && !this.#isKeyword('or')) return first;
    const kind = connective.text.toLowerCase() === 'and' ? 'and' : 'or';
    const operands = [first];
    while (this.#isKeyword('and') || this.#isKeyword('or')) {
      const token = this.#peek();
      if (token.text.toLowerCase() !== kind) throw unexpectedToken(token.text);
      this.#advance();
      operands.push(this.#unary());
    }
    return { kind, operands };
  }

  #unary(): Condition {
    if (this.#isKeyword('not')) {
      this.#advance();
      return { kind: 'not', operand: this.#unary() };
    }
    if (this.#isPunct('(')) {
      this.#advance();
      const inner = this.#condition();
      this.#punct(')');
      return inner;
    }
    return this.#comparison();
  }

  #comparison(): Condition {
    const path = this.#path();
    const token = this.#peek();
    if (token.kind === 'op') {
      this.#advance();
      const operator = COMPARISON[token.text];
      if (operator === undefined) throw unexpectedToken(token.text);
      return { kind: 'compare', path, operator, value: this.#literal() };
    }
    if (this.#isKeyword('like')) {
      this.#advance();
      return { kind: 'like', path, value: this.#literal() };
    }
    let negated = false;
    if (this.#isKeyword('not')) {
      this.#advance();
      negated = true;
      if (!this.#isKeyword('in')) throw unexpectedToken(this.#peek().text);
    }
    if (this.#isKeyword('in')) {
      this.#advance();
      return { kind: 'in', path, negated, values: this.#literalList() };
    }
    throw unexpectedToken(token.text);
  }

  #literalList(): Literal[] {
    this.#punct('(');
    if (this.#isKeyword('select'))
      throw malformedQuery('the emulator does not support semi-join subqueries (IN (SELECT ...))');
    const values = [this.#literal()];
    while (this.#isPunct(',')) {
      this.#advance();
      values.push(this.#literal());
    }
    this.#punct(')');
    return values;
  }

  #literal(): Literal {
    const token = this.#advance();
    switch (token.kind) {
      case 'string':
        return {
          kind: 'string',
          value: token.value,
          likePattern: token.likePattern,
          text: token.text,
        };
      case 'number':
        return { kind: 'number', value: token.value, text: token.text };
      case 'date':
        return { kind: 'date', value: token.text, text: token.text };
      case 'datetime':
        return { kind: 'datetime', value: token.text, text: token.text };
      case 'ident': {
        const word = token.text.toLowerCase();
        if (word === 'null') return { kind: 'null', text: token.text };
        if (word === 'true' || word === 'false')
          return { kind: 'boolean', value: word === 'true', text: token.text };
        if (!isDateLiteralName(token.text)) throw unexpectedToken(token.text);
        if (!dateLiteralTakesN(token.text))
          return {
            kind: 'dateRange',
            name: token.text.toUpperCase(),
            n: undefined,
            text: token.text,
          };
        this.#punct(':');
        const n = this.#count();
        return { kind: 'dateRange', name: token.text.toUpperCase(), n, text: `${token.text}:${n}` };
      }
      default:
        throw unexpectedToken(token.text);
    }
  }

  #orderList(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      if (items.length > 0) this.#advance();
      const path = this.#path();
      let descending = false;
      if (this.#isKeyword('asc') || this.#isKeyword('desc'))
        descending = this.#advance().text.toLowerCase() === 'desc';
      // Salesforce sorts nulls first unless told otherwise, in either direction (docs: ORDER BY).
      let nullsLast = false;
      if (this.#isKeyword('nulls')) {
        this.#advance();
        const which = this.#advance();
        const word = which.text.toLowerCase();
        if (which.kind !== 'ident' || (word !== 'first' && word !== 'last'))
          throw unexpectedToken(which.text);
        nullsLast = word === 'last';
      }
      items.push({ path, descending, nullsLast });
    } while (this.#isPunct(','));
    return items;
  }

  /** A non-negative whole number, as LIMIT, OFFSET and `LAST_N_DAYS:n` take. */
  #count(): number {
    const token = this.#advance();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw unexpectedToken(token.text);
    return token.value;
  }

  #keyword(word: string): void {
    if (!this.#isKeyword(word)) throw unexpectedToken(this.#peek().text);
    this.#advance();
  }

  #punct(text: string): void {
    if (!this.#isPunct(text)) throw unexpectedToken(this.#peek().text);
    this.#advance();
  }

  #isKeyword(word: string): boolean {
    const token = this.#peek();
    return token.kind === 'ident' && token.text.toLowerCase() === word;
  }

  #isPunct(text: string): boolean {
    const token = this.#peek();
    return token.kind === 'punct' && token.text === text;
  }

  #peek(): Token {
    // The token list always ends with EOF, and #advance never moves past it.
    return this.tokens[this.#index] ?? this.#eof();
  }

  #advance(): Token {
    const token = this.#peek();
    if (token.kind !== 'eof') this.#index++;
    return token;
  }

  #eof(): Token {
    return { kind: 'eof', text: '<EOF>', pos: 0 };
  }
}
