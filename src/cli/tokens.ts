/**
 * `baton tokens create --user NAME --name N [--expires 30d]` (prints the secret, once), `tokens list
 * [--user NAME]` (never secrets nor hashes), `tokens revoke ID`: API tokens, on the data folder.
 */
import { UsageError } from '../errors.ts';
import { cliAccounts, openAccessStore, parseAge } from './access-store.ts';
import { dataDirOption, parse } from './args.ts';

const USAGE =
  'usage: baton tokens create --user NAME --name N [--expires 30d] | list [--user NAME] | revoke ID';

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    user: { type: 'string' },
    name: { type: 'string' },
    expires: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [sub, id, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'\n${USAGE}`);
  if (sub === 'create' && (!values.user || !values.name))
    throw new UsageError(`baton tokens create needs --user and --name\n${USAGE}`);
  if (sub === 'revoke' && !id) throw new UsageError(`baton tokens revoke needs the token's id\n${USAGE}`);
  if (sub === undefined || !['create', 'list', 'revoke'].includes(sub)) throw new UsageError(USAGE);
  const expiresAt =
    values.expires === undefined
      ? undefined
      : new Date(Date.now() + parseAge(values.expires, '--expires')).toISOString();
  const store = await openAccessStore(values);
  try {
    const accounts = cliAccounts(store);
    if (sub === 'create') {
      const created = await accounts.createToken(values.user!, { name: values.name!, expiresAt });
      // The secret alone on standard output (for `$(baton tokens create ...)`); the rest on stderr.
      console.log(created.token);
      console.error(
        `token ${created.id} for ${created.user}${created.expiresAt ? `, expires ${created.expiresAt}` : ''}: ` +
          'it is shown only this once',
      );
      return 0;
    }
    if (sub === 'list') {
      const tokens = await accounts.listTokens(values.user);
      if (values.json) console.log(JSON.stringify(tokens, null, 2));
      else
        for (const t of tokens)
          console.log(
            `${t.id}  ${t.user.padEnd(16)} ${t.name.padEnd(20)} ` +
              `expires ${t.expiresAt ?? 'never'}${t.expired ? ' (EXPIRED)' : ''}  last used ${t.lastUsedAt ?? 'never'}`,
          );
      return 0;
    }
    await accounts.revokeToken(id!);
    console.log(`token ${id} revoked`);
    return 0;
  } finally {
    await store.close();
  }
};
