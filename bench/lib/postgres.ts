// The bench uses the tests' own fresh-database helper.
export { ADMIN_URL, freshDatabase } from '../../test/support/database';
