package dev.sodam.server.model;

import java.util.List;

/**
 * A team of agents serving some topics. {@code hoursJson} is the business-hours spec (null: always
 * open); {@code allAgents} makes every agent a member, so a small shop needs no membership lists.
 */
public record Team(String id, String nameKo, String nameEn, boolean allAgents, String hoursJson, List<String> tags,
                   List<String> memberIds) {
    public Team {
        tags = List.copyOf(tags);
        memberIds = List.copyOf(memberIds);
    }

    public String name(String locale) {
        return "ko".equals(locale) ? nameKo : nameEn;
    }
}
