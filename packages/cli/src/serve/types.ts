import type { VerifierOptions } from '@httpsig/server';

/** What the echo server answers for a verified request. */
export interface EchoBody {
  readonly verified: {
    readonly label: string;
    readonly keyid: string | undefined;
    readonly alg: string;
    readonly components: readonly string[];
    readonly params: Readonly<Record<string, unknown>>;
  };
  readonly method: string;
  readonly path: string;
  readonly body: string;
}

/** A running server of one framework. */
export interface RunningServer {
  /** `http://host:port` */
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a verifying echo server with one framework's integration. */
export type ServerFactory = (options: {
  readonly host: string;
  readonly port: number;
  readonly verifier: VerifierOptions;
}) => Promise<RunningServer>;

/** The path answered 200 without a signature, for readiness checks. */
export const healthPath = '/.well-known/httpsig/health';
