import type { PendingChange } from '../../../api/types';

export type PendingStatus = PendingChange['status'];

/** How the page names what a change is about; each returns the text to show. */
export interface ChangeNames {
  user: (user: NonNullable<PendingChange['user']>) => string;
  role: (key: string) => string;
  permission: (key: string) => string;
}

/** Why the current user may not confirm a change (the server's rules, said before it answers 403). */
export type ApprovalBlock = 'requester' | 'concerned' | 'roleHolder';
