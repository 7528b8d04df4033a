package dev.sodam.server.insight;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.BotTurn;
import dev.sodam.server.model.Team;
import dev.sodam.server.routing.BusinessHours;
import dev.sodam.server.routing.TeamDirectory;
import dev.sodam.server.store.ConversationEventRow;
import dev.sodam.server.store.StoreTx;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's figures for the conversations that started in a period, computed from the
 * conversation events (V26) and the agents' messages:
 * <ul>
 *   <li>volume per day and per hour of day (in the report's time zone);</li>
 *   <li>bot containment: conversations the bot replied in that never went to a person;</li>
 *   <li>handoffs, their rate and reasons;</li>
 *   <li>waiting (handoff → first assignment), first response (handoff → first agent message) and
 *       resolution (start → resolved), each also counted within the team's business hours only;</li>
 *   <li>the FAQ entries the bot answered with most, and per-agent and per-team load.</li>
 * </ul>
 * Events up to {@link #TAIL} after the period still count for the conversations started in it,
 * so a chat resolved the morning after is not lost.
 */
public final class Analytics {
    static final Duration TAIL = Duration.ofDays(7);
    static final int BUSIEST = 10;
    static final int FEEDBACK_LIMIT = 5_000;

    private Analytics() {
    }

    /** Count, mean, median and 90th percentile of durations, in seconds (null when empty). */
    public record Stats(int count, Double meanSeconds, Double medianSeconds, Double p90Seconds) {
        static Stats of(List<Duration> durations) {
            if (durations.isEmpty()) {
                return new Stats(0, null, null, null);
            }
            double[] s = durations.stream().mapToDouble(d -> d.toMillis() / 1000.0).sorted().toArray();
            double mean = java.util.Arrays.stream(s).sum() / s.length;
            return new Stats(s.length, round(mean), round(rank(s, 0.5)), round(rank(s, 0.9)));
        }

        /** Nearest-rank percentile. */
        private static double rank(double[] sorted, double p) {
            int index = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }

        private static double round(double v) {
            return Math.round(v * 10) / 10.0;
        }
    }

    public record Day(String date, int conversations, int handoffs, int contained) {
    }

    public record Hour(int hour, int conversations) {
    }

    public record Bot(int handled, int contained, Double containmentRate, int answers, int clarifications) {
    }

    public record Handoffs(int count, Double rate, Map<String, Integer> reasons) {
    }

    public record Times(Stats waiting, Stats waitingBusinessHours, Stats firstResponse,
                        Stats firstResponseBusinessHours, Stats resolution, Stats resolutionBusinessHours) {
    }

    public record FaqUse(String faqId, String question, int answers) {
    }

    public record AgentLoad(String id, String name, int assigned, int resolved, long messages, Stats firstResponse) {
    }

    public record TeamLoad(String id, String name, int handoffs, int assigned, int resolved, Stats waiting) {
    }

    /** 👍/👎 per FAQ entry ({faqId, question, up, down, upRate}), CSAT and NPS summaries (null without ratings). */
    public record Feedback(List<Map<String, Object>> perFaq, Map<String, Object> csat, Map<String, Object> nps) {
    }

    public record Report(Instant from, Instant to, String timeZone, String site, String team, int conversations,
                         List<Day> perDay, List<Hour> perHour, Bot bot, Handoffs handoffs, Times times,
                         List<FaqUse> busiestFaq, Feedback feedback, List<AgentLoad> agents, List<TeamLoad> teams) {
    }

    /** What one conversation went through. */
    private static final class Life {
        Instant started;
        Instant firstHandoff;
        String handoffReason;
        Instant firstAssigned;
        Instant resolved;
        String team;
        int botReplies;
        Instant firstAgentMessage;
    }

    public static Report build(StoreTx tx, ReportRange range, String siteId, String teamId) {
        Map<String, Life> lives = new LinkedHashMap<>();
        Map<String, List<ConversationEventRow>> events = new LinkedHashMap<>();
        for (ConversationEventRow e : tx.conversationEvents(range.from(), range.to().plus(TAIL), siteId)) {
            events.computeIfAbsent(e.conversationId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, Integer> faqAnswers = new HashMap<>();
        Map<String, AgentTally> agents = new TreeMap<>();
        int answers = 0;
        int clarifications = 0;
        for (Map.Entry<String, List<ConversationEventRow>> entry : events.entrySet()) {
            List<ConversationEventRow> list = entry.getValue();
            ConversationEventRow start = list.get(0);
            if (!start.kind().equals("started") || start.at().isBefore(range.from()) || !start.at().isBefore(range.to())) {
                continue; // started outside the period (or before events were recorded)
            }
            Life life = new Life();
            life.started = start.at();
            for (ConversationEventRow e : list) {
                if (e.teamId() != null) {
                    life.team = e.teamId();
                }
            }
            if (teamId != null && !teamId.equals(life.team)) {
                continue;
            }
            for (ConversationEventRow e : list) {
                switch (e.kind()) {
                    case "handoff" -> {
                        if (life.firstHandoff == null) {
                            life.firstHandoff = e.at();
                            life.handoffReason = e.reason();
                        }
                    }
                    case "assigned", "transferred" -> {
                        if (e.kind().equals("assigned") && life.firstAssigned == null) {
                            life.firstAssigned = e.at();
                        }
                        if (e.agentId() != null) {
                            agents.computeIfAbsent(e.agentId(), AgentTally::new).assigned++;
                        }
                    }
                    case "resolved" -> {
                        if (life.resolved == null) {
                            life.resolved = e.at();
                            if (e.agentId() != null) {
                                agents.computeIfAbsent(e.agentId(), AgentTally::new).resolved++;
                            }
                        }
                    }
                    default -> {
                        // started, requeued: nothing to add
                    }
                }
            }
            lives.put(entry.getKey(), life);
        }
        Map<String, TreeMap<Long, BotTurn>> turns = new HashMap<>();
        for (BotTurn t : tx.botTurns(range.from(), range.to().plus(TAIL))) {
            Life life = lives.get(t.conversationId());
            if (life == null) {
                continue;
            }
            turns.computeIfAbsent(t.conversationId(), k -> new TreeMap<>()).put(t.seq(), t);
            if ("answer".equals(t.decision())) {
                life.botReplies++;
                answers++;
                if (t.faqId() != null) {
                    faqAnswers.merge(t.faqId(), 1, Integer::sum);
                }
            } else if ("clarify".equals(t.decision())) {
                life.botReplies++;
                clarifications++;
            }
        }
        for (StoreTx.AgentActivity a : tx.agentActivity(range.from(), range.to().plus(TAIL))) {
            Life life = lives.get(a.conversationId());
            if (life == null) {
                continue;
            }
            if (life.firstAgentMessage == null || a.firstAt().isBefore(life.firstAgentMessage)) {
                life.firstAgentMessage = a.firstAt();
            }
            AgentTally tally = agents.computeIfAbsent(a.agentId(), AgentTally::new);
            tally.messages += a.messages();
            if (life.firstHandoff != null && !a.firstAt().isBefore(life.firstHandoff)) {
                tally.firstResponses.add(Duration.between(life.firstHandoff, a.firstAt()));
            }
        }
        Feedback feedback = feedback(tx, range, siteId, lives, turns);
        return report(tx, range, siteId, teamId, lives, faqAnswers, agents, answers, clarifications, feedback);
    }

    /**
     * Visitors' ratings of the conversations in scope: 👍/👎 per FAQ entry (the rated answer's
     * question's decision), CSAT (1–5: average and the share of 4 and 5) and NPS (0–10: % promoters
     * 9–10 minus % detractors 0–6).
     */
    private static Feedback feedback(StoreTx tx, ReportRange range, String siteId, Map<String, Life> lives,
                                     Map<String, TreeMap<Long, BotTurn>> turns) {
        Map<String, int[]> thumbs = new TreeMap<>();
        List<Integer> csat = new ArrayList<>();
        List<Integer> nps = new ArrayList<>();
        for (dev.sodam.server.model.Feedback f : tx.feedbackSearch(siteId, null, null, range.from(),
                range.to().plus(TAIL), FEEDBACK_LIMIT)) {
            if (!lives.containsKey(f.conversationId())) {
                continue;
            }
            switch (f.kind()) {
                case CSAT -> csat.add(f.score());
                case NPS -> nps.add(f.score());
                case THUMBS -> {
                    TreeMap<Long, BotTurn> asked = turns.getOrDefault(f.conversationId(), new TreeMap<>());
                    String faqId = f.messageId() == null ? null : tx.message(f.conversationId(), f.messageId())
                            .map(m -> asked.lowerEntry(m.seq()))
                            .map(e -> e == null ? null : e.getValue().faqId()).orElse(null);
                    if (faqId != null) {
                        thumbs.computeIfAbsent(faqId, k -> new int[2])[f.score() == 1 ? 0 : 1]++;
                    }
                }
            }
        }
        List<Map<String, Object>> perFaq = new ArrayList<>();
        thumbs.forEach((faqId, c) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("faqId", faqId);
            row.put("question", tx.faq(faqId).map(x -> x.question()).orElse(null));
            row.put("up", c[0]);
            row.put("down", c[1]);
            row.put("upRate", rate(c[0], c[0] + c[1]));
            perFaq.add(row);
        });
        perFaq.sort(Comparator.comparingInt((Map<String, Object> r) -> -((int) r.get("up") + (int) r.get("down"))));
        Map<String, Object> csatSummary = null;
        if (!csat.isEmpty()) {
            csatSummary = new LinkedHashMap<>();
            csatSummary.put("count", csat.size());
            csatSummary.put("average", Math.round(10.0 * csat.stream().mapToInt(Integer::intValue).sum() / csat.size()) / 10.0);
            csatSummary.put("satisfiedRate", rate((int) csat.stream().filter(x -> x >= 4).count(), csat.size()));
        }
        Map<String, Object> npsSummary = null;
        if (!nps.isEmpty()) {
            long promoters = nps.stream().filter(x -> x >= 9).count();
            long detractors = nps.stream().filter(x -> x <= 6).count();
            npsSummary = new LinkedHashMap<>();
            npsSummary.put("count", nps.size());
            npsSummary.put("promoters", promoters);
            npsSummary.put("detractors", detractors);
            npsSummary.put("score", Math.round(100.0 * (promoters - detractors) / nps.size()));
        }
        return new Feedback(perFaq, csatSummary, npsSummary);
    }

    private static final class AgentTally {
        final String id;
        int assigned;
        int resolved;
        long messages;
        final List<Duration> firstResponses = new ArrayList<>();

        AgentTally(String id) {
            this.id = id;
        }
    }

    private static Report report(StoreTx tx, ReportRange range, String siteId, String teamId, Map<String, Life> lives,
                                 Map<String, Integer> faqAnswers, Map<String, AgentTally> agents, int answers,
                                 int clarifications, Feedback feedback) {
        Map<String, Team> teams = new LinkedHashMap<>();
        tx.teams().forEach(t -> teams.put(t.id(), t));
        Map<String, BusinessHours> hours = new HashMap<>();
        Map<LocalDate, int[]> days = new TreeMap<>();
        for (LocalDate d = LocalDate.ofInstant(range.from(), range.zone());
             d.atStartOfDay(range.zone()).toInstant().isBefore(range.to()); d = d.plusDays(1)) {
            days.put(d, new int[3]);
        }
        int[] perHour = new int[24];
        int handled = 0;
        int contained = 0;
        int handoffs = 0;
        Map<String, Integer> reasons = new TreeMap<>();
        List<Duration> waiting = new ArrayList<>();
        List<Duration> waitingOpen = new ArrayList<>();
        List<Duration> firstResponse = new ArrayList<>();
        List<Duration> firstResponseOpen = new ArrayList<>();
        List<Duration> resolution = new ArrayList<>();
        List<Duration> resolutionOpen = new ArrayList<>();
        Map<String, int[]> teamCounts = new TreeMap<>();
        Map<String, List<Duration>> teamWaits = new TreeMap<>();
        for (Life life : lives.values()) {
            ZonedDateTime local = life.started.atZone(range.zone());
            int[] day = days.computeIfAbsent(local.toLocalDate(), k -> new int[3]);
            day[0]++;
            perHour[local.getHour()]++;
            BusinessHours open = life.team == null ? BusinessHours.always()
                    : hours.computeIfAbsent(life.team, id -> teams.containsKey(id)
                            ? TeamDirectory.hoursOf(teams.get(id)) : BusinessHours.always());
            if (life.botReplies > 0) {
                handled++;
            }
            if (life.firstHandoff == null) {
                if (life.botReplies > 0) {
                    contained++;
                    day[2]++;
                }
            } else {
                handoffs++;
                day[1]++;
                reasons.merge(life.handoffReason == null ? "unknown" : life.handoffReason, 1, Integer::sum);
                int[] tc = teamCounts.computeIfAbsent(life.team == null ? "" : life.team, k -> new int[3]);
                tc[0]++;
                if (life.firstAssigned != null) {
                    tc[1]++;
                    waiting.add(Duration.between(life.firstHandoff, life.firstAssigned));
                    waitingOpen.add(open.openBetween(life.firstHandoff, life.firstAssigned));
                    teamWaits.computeIfAbsent(life.team == null ? "" : life.team, k -> new ArrayList<>())
                            .add(Duration.between(life.firstHandoff, life.firstAssigned));
                }
                if (life.firstAgentMessage != null && !life.firstAgentMessage.isBefore(life.firstHandoff)) {
                    firstResponse.add(Duration.between(life.firstHandoff, life.firstAgentMessage));
                    firstResponseOpen.add(open.openBetween(life.firstHandoff, life.firstAgentMessage));
                }
                if (life.resolved != null) {
                    tc[2]++;
                }
            }
            if (life.resolved != null) {
                resolution.add(Duration.between(life.started, life.resolved));
                resolutionOpen.add(open.openBetween(life.started, life.resolved));
            }
        }
        int total = lives.size();
        List<Day> perDay = new ArrayList<>();
        days.forEach((d, c) -> perDay.add(new Day(d.toString(), c[0], c[1], c[2])));
        List<Hour> hourly = new ArrayList<>(24);
        for (int h = 0; h < 24; h++) {
            hourly.add(new Hour(h, perHour[h]));
        }
        List<FaqUse> busiest = faqAnswers.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(BUSIEST)
                .map(e -> new FaqUse(e.getKey(), tx.faq(e.getKey()).map(f -> f.question()).orElse(null), e.getValue()))
                .toList();
        Map<String, String> names = new HashMap<>();
        for (Agent a : tx.agents()) {
            names.put(a.id(), a.name());
        }
        List<AgentLoad> agentLoads = agents.values().stream()
                .map(a -> new AgentLoad(a.id, names.getOrDefault(a.id, a.id), a.assigned, a.resolved, a.messages,
                        Stats.of(a.firstResponses)))
                .sorted(Comparator.comparingInt((AgentLoad a) -> -a.assigned()).thenComparing(AgentLoad::name))
                .toList();
        List<TeamLoad> teamLoads = new ArrayList<>();
        teamCounts.forEach((id, c) -> {
            Team team = teams.get(id);
            teamLoads.add(new TeamLoad(id.isEmpty() ? null : id, team == null ? null : team.nameKo() + " / " + team.nameEn(),
                    c[0], c[1], c[2], Stats.of(teamWaits.getOrDefault(id, List.of()))));
        });
        return new Report(range.from(), range.to(), range.zone().getId(), siteId, teamId, total, perDay, hourly,
                new Bot(handled, contained, rate(contained, total), answers, clarifications),
                new Handoffs(handoffs, rate(handoffs, total), reasons),
                new Times(Stats.of(waiting), Stats.of(waitingOpen), Stats.of(firstResponse), Stats.of(firstResponseOpen),
                        Stats.of(resolution), Stats.of(resolutionOpen)),
                busiest, feedback, agentLoads, teamLoads);
    }

    private static Double rate(int part, int whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 1000.0;
    }

    /**
     * The report as one CSV table for spreadsheets, one figure a row:
     * {@code section,key,metric,value} (e.g. {@code day,2026-11-20,conversations,12};
     * durations in seconds). UTF-8 with a byte-order mark, like the FAQ export.
     */
    public static byte[] csv(Report r) {
        java.io.StringWriter out = new java.io.StringWriter();
        out.write('\uFEFF');
        try (org.apache.commons.csv.CSVPrinter p = new org.apache.commons.csv.CSVPrinter(out,
                org.apache.commons.csv.CSVFormat.RFC4180)) {
            p.printRecord("section", "key", "metric", "value");
            p.printRecord("period", r.from(), "to", r.to());
            p.printRecord("period", r.timeZone(), "conversations", r.conversations());
            for (Day d : r.perDay()) {
                p.printRecord("day", d.date(), "conversations", d.conversations());
                p.printRecord("day", d.date(), "handoffs", d.handoffs());
                p.printRecord("day", d.date(), "contained", d.contained());
            }
            for (Hour h : r.perHour()) {
                p.printRecord("hour", h.hour(), "conversations", h.conversations());
            }
            p.printRecord("bot", "", "handled", r.bot().handled());
            p.printRecord("bot", "", "contained", r.bot().contained());
            p.printRecord("bot", "", "containmentRate", r.bot().containmentRate());
            p.printRecord("bot", "", "answers", r.bot().answers());
            p.printRecord("bot", "", "clarifications", r.bot().clarifications());
            p.printRecord("handoffs", "", "count", r.handoffs().count());
            p.printRecord("handoffs", "", "rate", r.handoffs().rate());
            for (Map.Entry<String, Integer> e : r.handoffs().reasons().entrySet()) {
                p.printRecord("handoffs", e.getKey(), "count", e.getValue());
            }
            Map<String, Stats> times = new LinkedHashMap<>();
            times.put("waiting", r.times().waiting());
            times.put("waitingBusinessHours", r.times().waitingBusinessHours());
            times.put("firstResponse", r.times().firstResponse());
            times.put("firstResponseBusinessHours", r.times().firstResponseBusinessHours());
            times.put("resolution", r.times().resolution());
            times.put("resolutionBusinessHours", r.times().resolutionBusinessHours());
            for (Map.Entry<String, Stats> e : times.entrySet()) {
                stats(p, "time", e.getKey(), e.getValue());
            }
            for (FaqUse f : r.busiestFaq()) {
                p.printRecord("faq", f.faqId(), "answers", f.answers());
            }
            for (AgentLoad a : r.agents()) {
                p.printRecord("agent", a.name(), "assigned", a.assigned());
                p.printRecord("agent", a.name(), "resolved", a.resolved());
                p.printRecord("agent", a.name(), "messages", a.messages());
                stats(p, "agent", a.name() + " firstResponse", a.firstResponse());
            }
            for (TeamLoad t : r.teams()) {
                String key = t.id() == null ? "(none)" : t.id();
                p.printRecord("team", key, "handoffs", t.handoffs());
                p.printRecord("team", key, "assigned", t.assigned());
                p.printRecord("team", key, "resolved", t.resolved());
                stats(p, "team", key + " waiting", t.waiting());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void stats(org.apache.commons.csv.CSVPrinter p, String section, String key, Stats s)
            throws java.io.IOException {
        p.printRecord(section, key, "count", s.count());
        p.printRecord(section, key, "meanSeconds", s.meanSeconds());
        p.printRecord(section, key, "medianSeconds", s.medianSeconds());
        p.printRecord(section, key, "p90Seconds", s.p90Seconds());
    }
}
