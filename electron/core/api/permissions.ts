/**
 * The role matrix: which roles may call each API method. Deny by default: a method missing here
 * cannot be called by anyone signed in. Public methods (no session) are listed in the contract.
 */
import type { ApiMethod } from '../../../shared/contract';

export const ROLES = ['admin', 'supervisor', 'officer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;

export const PERMISSIONS: Partial<Record<ApiMethod, readonly Role[]>> = {
  'app.status': ALL,
  'auth.signOut': ALL,
  'watchlists.list': ALL,
  'watchlists.import': ['supervisor'],
  'watchlists.importStart': ['supervisor'],
  'watchlists.importStatus': ['supervisor'],
  'watchlists.importCancel': ['supervisor'],
  'watchlists.exportReport': ['supervisor'],
  'watchlists.versions': ['supervisor', 'auditor'],
  'watchlists.rollback': ['supervisor'],
  'watchlists.approve': ['supervisor'],
  'watchlists.reject': ['supervisor'],
  'watchlists.setApproval': ['supervisor'],
  'watchlists.setClearanceApproval': ['supervisor'],
  // A list's lifecycle (issue 13, watchlists/lifecycle.ts): supervisors, as imports and rollbacks.
  'watchlists.rename': ['supervisor'],
  'watchlists.setKind': ['supervisor'],
  'watchlists.retire': ['supervisor'],
  'watchlists.reactivate': ['supervisor'],
  'watchlists.setSettings': ['supervisor', 'admin'],
  'watchlists.entries': ['supervisor', 'officer', 'auditor'],
  'screening.screen': ['officer'],
  'screening.batch': ['officer', 'supervisor'],
  'screening.batchStart': ['officer', 'supervisor'],
  'screening.batchStatus': ['officer', 'supervisor'],
  'screening.batchCancel': ['officer', 'supervisor'],
  'screening.batchDiscard': ['officer', 'supervisor'],
  'screening.batchExport': ['officer', 'supervisor'],
  'screening.decide': ['officer'],
  'screening.applyPrevious': ['officer'],
  'screening.correct': ['supervisor'],
  'screening.report': ['officer', 'supervisor'],
  'crossings.record': ['officer'],
  'crossings.list': ['officer', 'supervisor', 'auditor'],
  'crossings.export': ['supervisor', 'auditor'],
  // Issue 14: a crossing's detail (scope limited for officers in crossings/query.ts), exports as jobs, the dashboard.
  'crossings.get': ['officer', 'supervisor', 'auditor'],
  'crossings.exportStart': ['supervisor', 'auditor'],
  'audit.exportStart': ['auditor', 'admin'],
  // Each export job is its starter's own (a job of another account is not found).
  'exports.status': ['supervisor', 'auditor', 'admin'],
  'exports.cancel': ['supervisor', 'auditor', 'admin'],
  'exports.take': ['supervisor', 'auditor', 'admin'],
  'dashboard.get': ['supervisor', 'auditor'],
  'dashboard.export': ['supervisor', 'auditor'],
  'audit.verify': ['auditor', 'admin'],
  'audit.keys': ['auditor', 'admin'],
  'auth.changePassword': ALL,
  'users.list': ['admin'],
  'users.create': ['admin'],
  'users.update': ['admin'],
  'users.resetPassword': ['admin'],
  'settings.get': ALL,
  'settings.update': ['admin'],
  'settings.setStaleLimit': ['supervisor', 'admin'],
  'audit.list': ['auditor', 'admin'],
  'retention.purge': ['admin'],
  'keys.rotate': ['admin'],
  'backup.create': ['admin'],
  // The centre (issue 16): every role sees where the desk stands and may sync; publishing is a supervisor's.
  'central.status': ALL,
  'central.sync': ALL,
  'central.publish': ['supervisor'],
  'central.retire': ['supervisor'],
  // Department-wide reading at the centre: auditors and supervisors (browse.ts; the database limits the scope).
  'central.crossings': ['supervisor', 'auditor'],
  'central.crossingsExport': ['supervisor', 'auditor'],
  'central.dashboard': ['supervisor', 'auditor'],
  'central.dashboardExport': ['supervisor', 'auditor'],
};

/** True when a user holding `roles` may call `method`. */
export function isAllowed(method: ApiMethod, roles: readonly string[]): boolean {
  const allowed = PERMISSIONS[method];
  return Boolean(allowed && allowed.some((r) => roles.includes(r)));
}
