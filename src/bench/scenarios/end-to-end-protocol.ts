/** The IPC messages between the end-to-end scenario and its part processes. */

/** Close `count` fresh Opportunities at the rate, their messages sent to `endpointUrl`. */
export interface OrgRun {
  readonly type: 'run';
  readonly endpointUrl: string;
  readonly count: number;
  readonly closesPerSecond: number;
  /** How long to wait for the last order numbers after the last close. */
  readonly deadlineMs: number;
}

export type PartMessage = OrgRun | { readonly type: 'usage' } | { readonly type: 'stop' };

export type PartReply =
  | { readonly type: 'ready'; readonly url: string; readonly organizationId: string | null }
  /** CPU time (user + system) the process has used since it started. */
  | { readonly type: 'usage'; readonly cpuMs: number }
  | {
      readonly type: 'done';
      /** Close → order number, in close order; null where none came before the deadline. */
      readonly latenciesInCloseOrderMs: readonly (number | null)[];
      /** CPU time spent creating the run's records, not part of the loop being measured. */
      readonly seedCpuMs: number;
    };
