package dev.sodam.server.store;

/**
 * The few places where SQLite's and PostgreSQL's SQL differ, so {@link JdbcTx} and
 * {@link JdbcIntegrationTx} hold every statement once. Everything else is written in the SQL both
 * understand ({@code ON CONFLICT … DO UPDATE}, {@code IS NOT DISTINCT FROM}, {@code substr}, {@code coalesce}).
 */
enum SqlDialect {
    SQLITE(
            "EXISTS (SELECT 1 FROM json_each(%s) t WHERE t.value = ?)",
            "instr(%s, %s) > 0",
            "rowid",
            "SELECT m.name, p.\"from\", p.\"to\" FROM sqlite_schema m "
                    + "JOIN pragma_foreign_key_list(m.name) p WHERE m.type = 'table' AND p.\"table\" = ?",
            "",
            false),
    POSTGRESQL(
            "EXISTS (SELECT 1 FROM jsonb_array_elements_text(%s::jsonb) t WHERE t = ?)",
            "strpos(%s, %s) > 0",
            "ctid",
            "SELECT child.relname, ca.attname, pa.attname FROM pg_constraint k "
                    + "JOIN pg_class child ON child.oid = k.conrelid "
                    + "JOIN pg_class parent ON parent.oid = k.confrelid "
                    + "JOIN pg_namespace n ON n.oid = parent.relnamespace AND n.nspname = current_schema() "
                    + "JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1] "
                    + "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1] "
                    + "WHERE k.contype = 'f' AND parent.relname = ?",
            // Several nodes write the same conversation: the writer reads the row it will change with a
            // lock, so last_seq + 1 is computed from the latest committed value and held until commit.
            " FOR UPDATE OF c",
            true);

    private final String jsonArrayContains;
    private final String containsText;
    private final String insertionOrder;
    private final String foreignKeysTo;
    private final String lockConversation;
    private final boolean writesInWith;

    SqlDialect(String jsonArrayContains, String containsText, String insertionOrder, String foreignKeysTo,
               String lockConversation, boolean writesInWith) {
        this.jsonArrayContains = jsonArrayContains;
        this.containsText = containsText;
        this.insertionOrder = insertionOrder;
        this.foreignKeysTo = foreignKeysTo;
        this.lockConversation = lockConversation;
        this.writesInWith = writesInWith;
    }

    /** A condition: the JSON array of strings in {@code column} contains the bound parameter. */
    String jsonArrayContains(String column) {
        return String.format(jsonArrayContains, column);
    }

    /** A condition: {@code haystack} contains {@code needle} (both SQL expressions), as plain text. */
    String containsText(String haystack, String needle) {
        return String.format(containsText, haystack, needle);
    }

    /** A column that orders a table without a key by insertion (ties of the same millisecond). */
    String insertionOrder() {
        return insertionOrder;
    }

    /**
     * A query with one parameter, a table name, answering (referring table, referring column,
     * referenced column or null) for every foreign key that points at that table.
     */
    String foreignKeysTo() {
        return foreignKeysTo;
    }

    /**
     * Appended to the writer's reads of a conversation (aliased {@code c}): a row lock where other
     * processes write too; nothing for SQLite, whose one writer connection already serialises.
     */
    String lockConversation() {
        return lockConversation;
    }

    /** Whether the writer must lock a visitor before looking for (or starting) its open conversation. */
    boolean locksRows() {
        return !lockConversation.isEmpty();
    }

    /**
     * Whether a {@code WITH} may hold an {@code INSERT} whose rows the main statement reads (PostgreSQL's
     * data-modifying {@code WITH}; SQLite has none), so two dependent writes take one statement: on
     * PostgreSQL each statement is a round trip and a statement's worth of the backend's CPU.
     */
    boolean writesInWith() {
        return writesInWith;
    }
}
