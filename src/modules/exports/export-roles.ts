import type { Role } from '../../common/request-context';

/** Who may make and download a signed export: those who make reports. */
export const EXPORT_ROLES: [Role, ...Role[]] = ['admin', 'compliance_officer'];
