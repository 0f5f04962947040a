/** What the screens need to know about the signed-in desk. */
import { createContext, useContext } from 'react';
import type { UserView } from '../../shared/contract';

export interface Desk {
  user: UserView;
  checkpointName: string;
  timeZone: string;
}

export const DeskContext = createContext<Desk | null>(null);

export function useDesk(): Desk {
  const d = useContext(DeskContext);
  if (!d) throw new Error('useDesk outside a signed-in desk');
  return d;
}

export function hasRole(desk: Desk, ...roles: string[]): boolean {
  return roles.some((r) => desk.user.roles.includes(r));
}
