/** Properties shared by the HTTP tasks and trigger (request description and client options). */
import { type TSchema, Type } from '@sinclair/typebox';
import { DString, Duration, dyn, JsonMap, Props, StaticDuration, StringEnum } from '../schema.ts';

const Ssl = Props({
  insecureTrustAllCertificates: dyn(Type.Boolean(), {
    default: false,
    description: 'Accept any server certificate (self-signed, expired...). Only for tests.',
  }),
});

const Options = Props({
  timeout: Props({
    connectTimeout: Duration({ description: 'Give up connecting after this duration.' }),
    readIdleTimeout: Duration({ description: 'Give up when no data was received for this duration.' }),
  }),
  proxy: Props({
    type: dyn(StringEnum(['DIRECT', 'HTTP', 'SOCKS']), { default: 'DIRECT', description: 'Kind of proxy.' }),
    address: DString({ description: 'Proxy host.' }),
    port: dyn(Type.Integer(), { description: 'Proxy port.' }),
    username: DString({ description: 'Proxy user.' }),
    password: DString({ description: 'Proxy password.' }),
  }),
  auth: Props(
    {
      type: StringEnum(['BASIC', 'BEARER'], { description: 'Authentication scheme.' }),
      username: DString({ description: 'BASIC: user name.' }),
      password: DString({ description: 'BASIC: password.' }),
      token: DString({ description: 'BEARER: the token.' }),
    },
    { required: ['type'] },
  ),
  ssl: Ssl,
  followRedirects: dyn(Type.Boolean(), { default: true, description: 'Follow redirections.' }),
  allowFailed: dyn(Type.Boolean(), {
    default: false,
    description: 'Do not fail on a response status of 400 or more.',
  }),
  defaultCharset: DString({ default: 'UTF-8', description: 'Charset used when the response declares none.' }),
  logs: Type.Array(StringEnum(['REQUEST_HEADERS', 'REQUEST_BODY', 'RESPONSE_HEADERS', 'RESPONSE_BODY']), {
    description: 'Parts of the exchange to log.',
  }),
  // Deprecated flat forms kept so that older flows validate.
  connectTimeout: StaticDuration({ description: 'Deprecated: use `timeout.connectTimeout`.' }),
  readTimeout: StaticDuration({ description: 'Deprecated: use `timeout.readIdleTimeout`.' }),
  readIdleTimeout: StaticDuration({ description: 'Deprecated: no effect.' }),
  connectionPoolIdleTimeout: StaticDuration({ description: 'Deprecated: no effect.' }),
  maxContentLength: Type.Integer({ description: 'Deprecated: no effect.' }),
  proxyType: StringEnum(['DIRECT', 'HTTP', 'SOCKS'], { description: 'Deprecated: use `proxy.type`.' }),
  proxyAddress: Type.String({ description: 'Deprecated: use `proxy.address`.' }),
  proxyPort: Type.Integer({ description: 'Deprecated: use `proxy.port`.' }),
  proxyUsername: Type.String({ description: 'Deprecated: use `proxy.username`.' }),
  proxyPassword: Type.String({ description: 'Deprecated: use `proxy.password`.' }),
  basicAuthUser: Type.String({ description: 'Deprecated: use `auth`.' }),
  basicAuthPassword: Type.String({ description: 'Deprecated: use `auth`.' }),
  logLevel: StringEnum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'OFF', 'NOT_SPECIFIED'], {
    description: 'Deprecated: use `logs`.',
  }),
});

export const httpRequestProperties: Record<string, TSchema> = {
  uri: DString({ minLength: 1, description: 'The full URL to call.' }),
  method: dyn(StringEnum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE']), {
    default: 'GET',
    description: 'HTTP method.',
  }),
  body: DString({ description: 'Request body, as a string (serialise objects with `| toJson`).' }),
  formData: JsonMap({
    dynamic: true,
    description: 'Form fields; sent as multipart when a value is a file URI.',
  }),
  contentType: DString({ default: 'application/json', description: 'Content type of the body.' }),
  headers: Type.Record(Type.String(), Type.String({ dynamic: true }), {
    dynamic: true,
    description: 'Request headers.',
  }),
  options: { ...Options, description: 'HTTP client options: timeouts, proxy, authentication, TLS, logs.' },
  sslOptions: { ...Ssl, description: 'Deprecated: use `options.ssl`.' },
};
