/**
 * Flyway migrations that SQL alone cannot express (the SQL ones live in
 * {@code resources/db/migration}); Flyway finds both by their version.
 */
package db.migration;
