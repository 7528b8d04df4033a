package dev.sodam.server.faq;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sodam.server.conversation.ChatException;
import dev.sodam.server.conversation.ChatException.Reason;
import dev.sodam.server.store.StoredFaq;
import dev.sodam.server.util.Json;
import dev.sodam.server.util.Text;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * FAQ files in and out: CSV (as Excel writes and reads it) and JSON. Reading never throws for a bad
 * row: every problem is collected with the line it starts on, so an admin sees all of them at once.
 * <ul>
 *   <li>CSV: RFC 4180 through Apache Commons CSV (quoted fields with commas, quotes and newlines,
 *       CRLF or LF); the first row names the columns in English or Korean, in any order; comma,
 *       tab or semicolon as delimiter, whichever the header uses; paraphrases one per line inside
 *       their cell; tags separated by commas. A cell that starts with {@code '} before {@code = + - @}
 *       loses the quote: that is how the export keeps spreadsheets from running FAQ text as a formula.</li>
 *   <li>JSON: {@code {"entries":[…]}} (what the export writes) or a bare array of entries.</li>
 * </ul>
 */
public final class FaqFiles {
    public static final int MAX_ROWS = 5_000;
    /** The export's columns, in order. */
    public static final List<String> COLUMNS = List.of("id", "locale", "question", "paraphrases", "answer", "tags",
            "enabled", "version", "team", "translation");
    private static final List<String> REQUIRED = List.of("locale", "question", "answer");
    private static final Map<String, String> HEADER_NAMES = headerNames();
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|\\r|\\n");
    /**
     * Tags in one cell are separated by commas (a Korean IME's {@code ，} and {@code 、} count as commas), as the
     * export writes them and the editor reads them. Not by spaces: "배송 조회" is one tag with a space, which the
     * editor's rules refuse on its row, instead of two tags nobody meant.
     */
    private static final Pattern TAG_SEPARATOR = Pattern.compile("[,、，]");
    /**
     * What the export guards with a leading {@code '}: a cell a spreadsheet would run as a formula
     * ({@code = + - @}, tab, CR at its start), also behind quotes the text itself begins with, so that a
     * text starting {@code '=} is written {@code ''=} and comes back as {@code '=}, not {@code =}.
     */
    private static final Pattern GUARDED_START = Pattern.compile("^'*[=+\\-@\\t\\r]");

    private FaqFiles() {
    }

    /**
     * One entry as read from a file, not yet validated; {@code line} is where it starts (1-based).
     * {@code team} and {@code translation} are null when the file does not have them (a file from
     * before they were exported: the entry keeps its own), blank when the file says "none", else the
     * team (id or name) and the linked entry's id as written. {@code entry} is the entry's 1-based
     * position in a JSON file's array, null in a CSV: one-line JSON puts every entry on line 1, so
     * the line alone cannot find it.
     */
    public record Row(int line, String id, String locale, String question, List<String> paraphrases, String answer,
                      List<String> tags, Boolean enabled, Long version, String team, String translation,
                      Integer entry) {
        /** A CSV row (no entry position). */
        public Row(int line, String id, String locale, String question, List<String> paraphrases, String answer,
                   List<String> tags, Boolean enabled, Long version, String team, String translation) {
            this(line, id, locale, question, paraphrases, answer, tags, enabled, version, team, translation, null);
        }

        /** A row of a file without the team and translation columns. */
        public Row(int line, String id, String locale, String question, List<String> paraphrases, String answer,
                   List<String> tags, Boolean enabled, Long version) {
            this(line, id, locale, question, paraphrases, answer, tags, enabled, version, null, null, null);
        }

        /** Where the row is, for a message that points at another row: "entry 3" in JSON, "line 4" in CSV. */
        public String place() {
            return entry != null ? "entry " + entry : "line " + line;
        }
    }

    /**
     * Something wrong at a line; {@code field} is the column or null for the whole row or file.
     * {@code entry} (the 1-based position in a JSON file's entries) and {@code id} (the entry's id as
     * the file has it) are null when unknown: together with the line they let an admin find the
     * entry in a file where many share a line.
     */
    public record Problem(int line, Integer entry, String id, String field, String message,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String reason,
                          @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> params) {
        public Problem(int line, Integer entry, String id, String field, String message) {
            this(line, entry, id, field, message, null, null);
        }

        /** A problem of the file as a whole or of a place that is not an entry. */
        public Problem(int line, String field, String message) {
            this(line, null, null, field, message);
        }

        /**
         * A problem with its reason and numbers, so the import dialog says it in the page's language;
         * {@code field} is the column, or a part of the file ({@code header}, {@code entries}, {@code quotes},
         * {@code json}, {@code entry}, {@code cells}) when no column is to blame.
         */
        static Problem refused(int line, Integer entry, String id, String field, String message, Reason reason,
                               Object... params) {
            ChatException.Detail detail = ChatException.invalid(message, reason, field, params).detail();
            return new Problem(line, entry, id, field, message, reason.wire(), detail.params());
        }

        /** A problem of one row: its line, entry position and id. */
        public static Problem of(Row row, String field, String message) {
            return new Problem(row.line(), row.entry(), row.id(), field, message);
        }

        /**
         * A row refused by the editor's rules: the field, reason and numbers come with the refusal, so
         * the import dialog says it in the page's language, as the editor does.
         */
        public static Problem of(Row row, ChatException refusal) {
            ChatException.Detail detail = refusal.detail();
            return detail == null ? of(row, null, refusal.getMessage())
                    : new Problem(row.line(), row.entry(), row.id(), detail.field(), refusal.getMessage(),
                            detail.reason().wire(), detail.params());
        }
    }

    /** What a file held: the rows that could be read, and every problem found. */
    public record Parsed(String format, String encoding, List<Row> rows, List<Problem> problems) {
    }

    private static Map<String, String> headerNames() {
        Map<String, String> names = new HashMap<>();
        COLUMNS.forEach(c -> names.put(c, c));
        names.put("아이디", "id");
        names.put("lang", "locale");
        names.put("language", "locale");
        names.put("언어", "locale");
        names.put("질문", "question");
        names.put("대표 질문", "question");
        names.put("대표질문", "question");
        names.put("paraphrase", "paraphrases");
        names.put("다르게 묻는 말", "paraphrases");
        names.put("유사 질문", "paraphrases");
        names.put("유사질문", "paraphrases");
        names.put("답변", "answer");
        names.put("tag", "tags");
        names.put("태그", "tags");
        names.put("사용", "enabled");
        names.put("사용 여부", "enabled");
        names.put("버전", "version");
        names.put("팀", "team");
        names.put("담당 팀", "team");
        names.put("번역", "translation");
        names.put("연결된 번역", "translation");
        names.put("번역 연결", "translation");
        return names;
    }

    // ------------------------------------------------------------------ reading

    /**
     * Reads an uploaded file. {@code format} is {@code csv}, {@code json} or null (guessed: JSON when
     * the text starts with {@code [} or <code>{</code>). Refuses (400) only an undecodable file or an
     * unknown format; everything else is reported as problems.
     */
    public static Parsed read(byte[] bytes, String format) {
        TextDecoding.Decoded decoded = TextDecoding.decode(bytes);
        String text = decoded.text();
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        String kind = format == null || format.isBlank() ? guess(text) : format.trim().toLowerCase(Locale.ROOT);
        List<Row> rows = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        switch (kind) {
            case "csv" -> readCsv(text, rows, problems);
            case "json" -> readJson(text, rows, problems);
            default -> throw ChatException.invalid("unknown format '" + format + "'; use csv or json", Reason.INVALID,
                    "format", "value", Text.truncate(format, 40));
        }
        if (rows.isEmpty() && problems.isEmpty()) {
            problems.add(Problem.refused(1, null, null, "entries", "the file has no FAQ entries", Reason.REQUIRED));
        }
        if (rows.size() > MAX_ROWS) {
            Row first = rows.get(MAX_ROWS);
            problems.add(Problem.refused(first.line(), first.entry(), first.id(), "entries",
                    "too many entries (" + rows.size() + "); at most " + MAX_ROWS + " per file", Reason.TOO_MANY,
                    "count", rows.size(), "max", MAX_ROWS));
        }
        return new Parsed(kind, decoded.encoding(), rows, problems);
    }

    private static String guess(String text) {
        String start = text.stripLeading();
        return start.startsWith("[") || start.startsWith("{") ? "json" : "csv";
    }

    private static void readCsv(String text, List<Row> rows, List<Problem> problems) {
        LineIndex lines = new LineIndex(text);
        char delimiter = delimiter(text);
        CSVFormat format = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .get();
        Map<String, Integer> columns = null;
        int lastLine = 1;
        try (CSVParser parser = CSVParser.builder().setReader(new java.io.StringReader(text)).setFormat(format).get()) {
            for (CSVRecord record : parser) {
                int line = lines.lineOf(record.getCharacterPosition());
                lastLine = line;
                if (columns == null) {
                    columns = header(record, line, problems);
                    if (columns == null) {
                        return;
                    }
                    continue;
                }
                if (record.stream().allMatch(String::isBlank)) {
                    continue;
                }
                Row row = csvRow(record, line, columns, problems);
                if (row != null) {
                    rows.add(row);
                }
            }
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            // Commons CSV's message names the line its record starts on, in its own words and with Java
            // class names; the admin needs the quote that is wrong, so the text is walked again to find it.
            Problem found = quoteTrouble(text, delimiter, lines);
            problems.add(found != null ? found : quotes(lastLine + 1, "the CSV cannot be read from here on;"
                    + " check the quotes (\") on this line and the next ones", null));
        }
    }

    /**
     * The first quote that stops Commons CSV, found with its rules (RFC 4180, {@code "} quotes, no
     * escape character, surrounding spaces kept), or null: a cell that starts with {@code "} must
     * end with a {@code "} followed by spaces at most, then the delimiter, a line break or the end;
     * {@code ""} inside it is one quote. A quote elsewhere in a cell is text.
     */
    private static Problem quoteTrouble(String text, char delimiter, LineIndex lines) {
        int n = text.length();
        boolean cellStart = true;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (!(cellStart && c == '"')) {
                cellStart = c == delimiter || c == '\n' || c == '\r';
                continue;
            }
            int open = i++;
            while (true) {
                if (i >= n) {
                    return quotes(lines.lineOf(open), "a quote (\") opened here is never closed, so the"
                            + " rest of the file would be one cell; close it, or write a quote that is part of the"
                            + " text as two (\"\")", null);
                }
                if (text.charAt(i) != '"') {
                    i++;
                } else if (i + 1 < n && text.charAt(i + 1) == '"') {
                    i += 2;
                } else {
                    break;
                }
            }
            int close = i++;
            while (i < n && text.charAt(i) != delimiter && !isLineBreak(text.charAt(i))
                    && Character.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i < n && text.charAt(i) != delimiter && !isLineBreak(text.charAt(i))) {
                int openLine = lines.lineOf(open);
                int closeLine = lines.lineOf(close);
                String after = textFrom(text, i);
                if (openLine == closeLine) {
                    return quotes(openLine, "a quoted cell ends at its closing quote (\"), but \"" + after
                            + "\" follows it before the next " + delimiterName(delimiter) + "; put the whole cell in"
                            + " quotes and write each quote inside it as two (\"\")", after);
                }
                // The cell swallowed line breaks up to a later quote: the mistake is where it opened.
                return quotes(openLine, "a quote (\") opened here is only closed on line " + closeLine
                        + ", where \"" + after + "\" follows it; is a quote inside a cell not written as two (\"\")?",
                        after);
            }
            cellStart = false;
            i--;
        }
        return null;
    }

    /** A quote Commons CSV stops at: one sentence for the pages, the text after it ({@code value}) when there is some. */
    private static Problem quotes(int line, String message, String after) {
        return Problem.refused(line, null, null, "quotes", message, Reason.INVALID, "value", after);
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    /** A few characters from {@code at} to the end of its line, to quote in a message. */
    private static String textFrom(String text, int at) {
        int end = at;
        while (end < text.length() && end - at < 12 && !isLineBreak(text.charAt(end))) {
            end++;
        }
        return text.substring(at, end) + (end < text.length() && !isLineBreak(text.charAt(end)) ? "…" : "");
    }

    private static String delimiterName(char delimiter) {
        return delimiter == '\t' ? "tab" : delimiter == ';' ? "semicolon" : "comma";
    }

    /** The delimiter the header line uses most, outside quotes: comma, tab or semicolon. */
    private static char delimiter(String text) {
        int commas = 0;
        int tabs = 0;
        int semicolons = 0;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '\n' || c == '\r')) {
                break;
            } else if (!quoted) {
                commas += c == ',' ? 1 : 0;
                tabs += c == '\t' ? 1 : 0;
                semicolons += c == ';' ? 1 : 0;
            }
        }
        if (tabs > commas && tabs >= semicolons) {
            return '\t';
        }
        return semicolons > commas ? ';' : ',';
    }

    private static Map<String, Integer> header(CSVRecord record, int line, List<Problem> problems) {
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (int i = 0; i < record.size(); i++) {
            String name = record.get(i).replace("\uFEFF", "").strip();
            if (name.isEmpty()) {
                continue;
            }
            String column = HEADER_NAMES.get(name.toLowerCase(Locale.ROOT));
            if (column == null) {
                unknown.add(name);
            } else if (columns.putIfAbsent(column, i) != null) {
                problems.add(Problem.refused(line, null, null, "header", "column '" + column
                        + "' appears twice in the header", Reason.REPEATED, "value", column));
            }
        }
        if (!unknown.isEmpty()) {
            problems.add(Problem.refused(line, null, null, "header", "unknown column(s) " + unknown + " in the header; use "
                    + String.join(", ", COLUMNS), Reason.UNKNOWN, "value", Text.truncate(String.join(", ", unknown), 80),
                    "known", String.join(", ", COLUMNS)));
        }
        List<String> missing = REQUIRED.stream().filter(c -> !columns.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            problems.add(Problem.refused(line, null, null, "header", "the header lacks column(s) " + missing
                    + "; the first row must name the columns (" + String.join(", ", COLUMNS) + ")", Reason.REQUIRED,
                    "value", String.join(", ", missing), "known", String.join(", ", COLUMNS)));
            return null;
        }
        return problems.isEmpty() ? columns : null;
    }

    /** The row, or null when its cells cannot be told apart (reported). */
    private static Row csvRow(CSVRecord record, int line, Map<String, Integer> columns, List<Problem> problems) {
        int width = columns.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        Integer idColumn = columns.get("id");
        Where at = new Where(line, null, idColumn != null && idColumn < record.size() ? blankToNull(record.get(idColumn)) : null);
        for (int i = width; i < record.size(); i++) {
            if (!record.get(i).isBlank()) {
                // Its cells are shifted: checking them one by one would only add confusing errors.
                problems.add(at.refused("cells", "the row has more cells (" + record.size()
                        + ") than the header names (" + columns.size() + "); is a comma missing its quotes?",
                        Reason.TOO_MANY, "count", record.size(), "max", columns.size()));
                return null;
            }
        }
        Map<String, String> cells = new HashMap<>();
        columns.forEach((name, index) -> cells.put(name, index < record.size() ? unguard(record.get(index)) : null));
        return new Row(line, blankToNull(cells.get("id")), blankToNull(cells.get("locale")), cells.get("question"),
                lines(cells.get("paraphrases")), cells.get("answer"), tags(cells.get("tags")),
                enabled(cells.get("enabled"), at, problems), version(cells.get("version"), at, problems),
                stated(columns, cells, "team"), stated(columns, cells, "translation"));
    }

    /** A column the header names: its cell stripped ("" for an empty or missing cell); null without the column. */
    private static String stated(Map<String, Integer> columns, Map<String, String> cells, String column) {
        if (!columns.containsKey(column)) {
            return null;
        }
        String cell = cells.get(column);
        return cell == null ? "" : cell.strip();
    }

    private static void readJson(String text, List<Row> rows, List<Problem> problems) {
        // Entries begun and entries read whole: a syntax error inside an entry names it, one between entries the last good one.
        int begun = 0;
        int read = 0;
        try (JsonParser parser = Json.MAPPER.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                if (!toEntries(parser)) {
                    problems.add(Problem.refused(1, null, null, "entries", "the JSON object has no \"entries\" array",
                            Reason.INVALID));
                    return;
                }
            } else if (first != JsonToken.START_ARRAY) {
                problems.add(Problem.refused(1, null, null, "entries",
                        "the JSON must be an array of entries or {\"entries\":[…]}", Reason.INVALID));
                return;
            }
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                int line = parser.currentTokenLocation().getLineNr();
                begun++;
                JsonNode node = parser.readValueAsTree();
                read++;
                Where at = new Where(line, begun, node != null && node.isObject() ? idOf(node) : null);
                if (node == null || !node.isObject()) {
                    problems.add(at.refused("entry", "an entry must be a JSON object", Reason.INVALID));
                    continue;
                }
                rows.add(jsonRow(node, at, problems));
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            int line = at == null ? 1 : Math.max(1, at.getLineNr());
            // On one long line the line says little: the column and the entry find the spot.
            String where = (at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr())
                    + (begun > read ? " inside entry " + begun : read > 0 ? " after entry " + read : "");
            problems.add(Problem.refused(line, begun > read ? Integer.valueOf(begun) : null, null, "json",
                    "the JSON is malformed" + where + ": " + e.getOriginalMessage(), Reason.INVALID,
                    "column", at == null || at.getColumnNr() < 1 ? null : at.getColumnNr()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An entry's id as its row will have it (stripped, blank is none), or null when it is not text. */
    private static String idOf(JsonNode node) {
        JsonNode id = node.get("id");
        return id != null && id.isValueNode() && !id.isNull() && !id.isBoolean() ? blankToNull(id.asText()) : null;
    }

    /** Where an entry is: the line it starts on, its 1-based position in a JSON array (null in CSV), its id. */
    private record Where(int line, Integer entry, String id) {
        Problem refused(String field, String message, Reason reason, Object... params) {
            return Problem.refused(line, entry, id, field, message, reason, params);
        }
    }

    /** Moves the parser into the value of the top-level "entries" field; false when there is none. */
    private static boolean toEntries(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("entries".equals(name) && value == JsonToken.START_ARRAY) {
                return true;
            }
            parser.skipChildren();
        }
        return false;
    }

    private static Row jsonRow(JsonNode node, Where at, List<Problem> problems) {
        Boolean enabled = null;
        JsonNode flag = node.get("enabled");
        if (flag != null && !flag.isNull()) {
            enabled = flag.isBoolean() ? Boolean.valueOf(flag.booleanValue()) : enabled(flag.asText(), at, problems);
        }
        Long version = null;
        JsonNode v = node.get("version");
        if (v != null && !v.isNull()) {
            // A number beyond long's range goes to the text parser, which refuses it: longValue() would wrap it.
            version = v.isIntegralNumber() && v.canConvertToLong() && v.longValue() >= 1 ? Long.valueOf(v.longValue())
                    : version(v.asText(), at, problems);
        }
        return new Row(at.line(), blankToNull(jsonText(node, "id", at, problems)),
                blankToNull(jsonText(node, "locale", at, problems)), jsonText(node, "question", at, problems),
                jsonList(node, "paraphrases", at, problems, false), jsonText(node, "answer", at, problems),
                jsonList(node, "tags", at, problems, true), enabled, version, jsonStated(node, "team", at, problems),
                jsonStated(node, "translation", at, problems), at.entry());
    }

    /** A field that may be absent (null: keep the entry's own), null or "" (none), or a string. */
    private static String jsonStated(JsonNode node, String field, Where at, List<Problem> problems) {
        if (!node.has(field)) {
            return null;
        }
        String value = jsonText(node, field, at, problems);
        return value == null ? "" : value.strip();
    }

    private static String jsonText(JsonNode node, String field, Where at, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            problems.add(at.refused(field, "'" + field + "' must be a string", Reason.INVALID));
            return null;
        }
        return value.asText();
    }

    private static List<String> jsonList(JsonNode node, String field, Where at, List<Problem> problems, boolean tags) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isTextual()) {
            return tags ? tags(value.textValue()) : lines(value.textValue());
        }
        if (!value.isArray()) {
            problems.add(at.refused(field, "'" + field + "' must be an array of strings", Reason.INVALID));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                problems.add(at.refused(field, "'" + field + "' must be an array of strings", Reason.INVALID));
                return List.of();
            }
            out.add(item.textValue());
        }
        return out;
    }

    private static List<String> lines(String cell) {
        if (cell == null || cell.isBlank()) {
            return List.of();
        }
        return Arrays.stream(LINE_BREAK.split(cell)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static List<String> tags(String cell) {
        if (cell == null || cell.isBlank()) {
            return List.of();
        }
        return Arrays.stream(TAG_SEPARATOR.split(cell)).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Boolean enabled(String cell, Where at, List<Problem> problems) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        switch (cell.strip().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "y", "on", "예", "네", "사용", "o" -> {
                return Boolean.TRUE;
            }
            case "false", "0", "no", "n", "off", "아니오", "아니요", "사용 안 함", "미사용", "x" -> {
                return Boolean.FALSE;
            }
            default -> {
                problems.add(at.refused("enabled", "'enabled' must be true or false (or 예/아니오), not '"
                        + cell.strip() + "'", Reason.INVALID, "value", Text.truncate(cell.strip(), 40)));
                return null;
            }
        }
    }

    private static Long version(String cell, Where at, List<Problem> problems) {
        if (cell == null || cell.isBlank()) {
            return null;
        }
        try {
            long value = Long.parseLong(cell.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(at.refused("version", "'version' must be a whole number of 1 or more, or empty; not '"
                + cell.strip() + "'", Reason.INVALID, "value", Text.truncate(cell.strip(), 40)));
        return null;
    }

    /** Undoes the export's formula guard: {@code '=…} → {@code =…}, {@code ''=…} → {@code '=…}. */
    private static String unguard(String cell) {
        if (cell.length() > 1 && cell.charAt(0) == '\'' && GUARDED_START.matcher(cell.substring(1)).find()) {
            return cell.substring(1);
        }
        return cell;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Maps character offsets to 1-based line numbers (CRLF, LF and CR each end a line). */
    private static final class LineIndex {
        private final int[] starts;

        LineIndex(String text) {
            List<Integer> found = new ArrayList<>();
            found.add(0);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\n' || c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n')) {
                    found.add(i + 1);
                }
            }
            starts = found.stream().mapToInt(Integer::intValue).toArray();
        }

        int lineOf(long offset) {
            int at = Arrays.binarySearch(starts, (int) offset);
            return at >= 0 ? at + 1 : -at - 1;
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * CSV for Excel: a UTF-8 byte-order mark (so a Korean Excel does not read it as CP949), CRLF,
     * paraphrases one per line in their cell, and a {@code '} before any cell that a spreadsheet
     * would run as a formula.
     */
    public static byte[] csv(List<StoredFaq> entries) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(COLUMNS);
            for (StoredFaq f : entries) {
                printer.printRecord(guard(f.id()), f.locale(), guard(f.question()), guard(String.join("\n", f.paraphrases())),
                        guard(f.answer()), guard(String.join(", ", f.tags())), f.enabled(), f.version(),
                        guard(f.team()), guard(f.translation()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String guard(String cell) {
        return cell != null && GUARDED_START.matcher(cell).find() ? "'" + cell : cell;
    }

    /** JSON that {@link #read} takes back: {@code {"format":"sodam-faq","exportedAt","entries":[…]}}. */
    public static byte[] json(List<StoredFaq> entries, Instant now) {
        List<Map<String, Object>> list = new ArrayList<>(entries.size());
        for (StoredFaq f : entries) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", f.id());
            e.put("locale", f.locale());
            e.put("question", f.question());
            e.put("paraphrases", f.paraphrases());
            e.put("answer", f.answer());
            e.put("tags", f.tags());
            e.put("enabled", f.enabled());
            e.put("version", f.version());
            e.put("team", f.team());
            e.put("translation", f.translation());
            list.add(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("format", "sodam-faq");
        body.put("exportedAt", now);
        body.put("entries", list);
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
