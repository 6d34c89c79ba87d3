/** Syntax tree of templates and expressions. */

export interface Args {
  pos: Expr[];
  named: [string, Expr][];
}

export type Expr =
  | { k: 'lit'; v: unknown; float?: boolean }
  | { k: 'name'; name: string }
  | { k: 'attr'; obj: Expr; key: Expr }
  | { k: 'list'; items: Expr[] }
  | { k: 'map'; entries: [Expr, Expr][] }
  | { k: 'bin'; op: string; l: Expr; r: Expr }
  | { k: 'un'; op: string; e: Expr }
  | { k: 'tern'; c: Expr; a: Expr; b: Expr }
  | { k: 'filter'; e: Expr; name: string; args: Args }
  | { k: 'call'; name: string; args: Args }
  | { k: 'test'; e: Expr; name: string; args: Args; neg: boolean };

/** Where an expression was written: its source with delimiters, for error messages. */
export interface Where {
  src: string;
  line: number;
}

export type Node =
  | { k: 'text'; s: string }
  | { k: 'out'; e: Expr; at: Where }
  | { k: 'if'; branches: { c: Expr; at: Where; body: Node[] }[]; otherwise: Node[] | null }
  | {
      k: 'for';
      key: string | null;
      val: string;
      iter: Expr;
      at: Where;
      body: Node[];
      otherwise: Node[] | null;
    }
  | { k: 'set'; name: string; e: Expr; at: Where };
