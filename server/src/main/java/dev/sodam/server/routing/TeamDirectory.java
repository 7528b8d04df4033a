package dev.sodam.server.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sodam.server.model.Team;
import dev.sodam.server.store.Store;
import dev.sodam.server.util.Json;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Teams, their members and business hours, as an in-memory snapshot read on the domain thread
 * (routing, notices) without touching the database. {@link #refresh()} rebuilds it.
 */
public final class TeamDirectory {
    private record Entry(Team team, BusinessHours hours) {
    }

    private final Store store;
    private volatile Map<String, Entry> teams = Map.of();

    public TeamDirectory(Store store) {
        this.store = store;
    }

    /** A directory with no teams: every agent serves every conversation, always. */
    public static TeamDirectory none() {
        return new TeamDirectory(null);
    }

    /** Reloads every team from the store. Blocking: start-up or a background thread. */
    public void refresh() {
        if (store == null) {
            return;
        }
        Map<String, Entry> loaded = new HashMap<>();
        for (Team team : store.read(tx -> tx.teams())) {
            loaded.put(team.id(), new Entry(team, hoursOf(team)));
        }
        teams = Map.copyOf(loaded);
    }

    /** Parses a team's business hours; a bad spec names the team. */
    public static BusinessHours hoursOf(Team team) {
        if (team.hoursJson() == null) {
            return BusinessHours.always();
        }
        try {
            return BusinessHours.parse(Json.MAPPER.readTree(team.hoursJson()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("team '" + team.id() + "': bad business hours: " + e.getMessage(), e);
        }
    }

    public Optional<Team> team(String teamId) {
        Entry entry = teamId == null ? null : teams.get(teamId);
        return entry == null ? Optional.empty() : Optional.of(entry.team());
    }

    /** Whether the agent may be offered a conversation of this team (no team or unknown team: anyone). */
    public boolean serves(String teamId, String agentId) {
        Entry entry = teamId == null ? null : teams.get(teamId);
        return entry == null || entry.team().allAgents() || entry.team().memberIds().contains(agentId);
    }

    /** The team's business hours; always open without a team. */
    public BusinessHours hours(String teamId) {
        Entry entry = teamId == null ? null : teams.get(teamId);
        return entry == null ? BusinessHours.always() : entry.hours();
    }

    public List<Team> all() {
        return teams.values().stream().map(Entry::team).toList();
    }
}
