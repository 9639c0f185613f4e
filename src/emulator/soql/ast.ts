/** The parsed query, before field names are checked against the schema. */

/** A dotted field path as written (`Account.Owner.Name`), with its position for messages. */
export interface FieldPath {
  readonly segments: readonly string[];
  readonly text: string;
}

export type SelectItem =
  | { readonly kind: 'field'; readonly path: FieldPath }
  | { readonly kind: 'count' }
  | { readonly kind: 'subquery'; readonly query: SelectQuery };

export type Literal =
  | {
      readonly kind: 'string';
      readonly value: string;
      readonly likePattern: string;
      readonly text: string;
    }
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly text: string }
  | { readonly kind: 'null'; readonly text: string }
  | { readonly kind: 'date'; readonly value: string; readonly text: string }
  | { readonly kind: 'datetime'; readonly value: string; readonly text: string }
  /** A relative range such as `TODAY` or `LAST_N_DAYS:7`, resolved against the query's clock. */
  | {
      readonly kind: 'dateRange';
      readonly name: string;
      readonly n: number | undefined;
      readonly text: string;
    };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly Condition[] }
  | { readonly kind: 'not'; readonly operand: Condition }
  | {
      readonly kind: 'compare';
      readonly path: FieldPath;
      readonly operator: ComparisonOperator;
      readonly value: Literal;
    }
  | {
      readonly kind: 'in';
      readonly path: FieldPath;
      readonly negated: boolean;
      readonly values: readonly Literal[];
    }
  | { readonly kind: 'like'; readonly path: FieldPath; readonly value: Literal };

export interface OrderItem {
  readonly path: FieldPath;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface SelectQuery {
  readonly select: readonly SelectItem[];
  readonly from: string;
  readonly where: Condition | undefined;
  readonly orderBy: readonly OrderItem[];
  readonly limit: number | undefined;
  readonly offset: number | undefined;
  /**
   * `FOR VIEW` / `FOR REFERENCE`: the query also marks its rows as recently viewed or
   * referenced by the running user (the REST API's `/recent` lists them).
   */
  readonly tracking?: 'view' | 'reference';
}
