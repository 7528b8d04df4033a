package dev.sodam.server.admin;

import dev.sodam.server.store.AuditEntry;
import java.util.List;

/**
 * The audit log as CSV (RFC 4180: quoted fields, doubled quotes, CRLF). A cell starting with
 * {@code = + - @} gets a leading apostrophe so a spreadsheet never runs it as a formula.
 */
final class AuditCsv {
    private AuditCsv() {
    }

    static String write(List<AuditEntry> rows) {
        StringBuilder csv = new StringBuilder("id,at,actor_id,actor_name,site_id,action,type,target,before,after\r\n");
        for (AuditEntry e : rows) {
            String[] cells = {Long.toString(e.id()), e.at().toString(), e.actorId(), e.actorName(), e.siteId(),
                    e.action(), e.targetType(), e.targetId(), e.beforeJson(), e.afterJson()};
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    csv.append(',');
                }
                csv.append(cell(cells[i]));
            }
            csv.append("\r\n");
        }
        return csv.toString();
    }

    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }
}
