package dev.sodam.server.testing;

/**
 * One signed-in token per role, for tests that check who may call what: the bootstrap
 * (installation) admin, an agent, a supervisor, and the admin of another site, {@code shop2}.
 */
public record RoleTokens(String admin, String agent, String supervisor, String siteAdmin) {
    public static final String SITE = "shop2";

    /**
     * Creates site {@value #SITE} (through the API, so its visitors may connect at once) and the three
     * accounts, and logs all four in.
     */
    public static RoleTokens create(TestServer server) throws Exception {
        AdminHttp http = new AdminHttp(server);
        String admin = server.loginAdmin();
        AdminHttp.Response site = http.call("POST", "/api/admin/sites", java.util.Map.of("id", SITE, "name", "두번째 가게"),
                admin);
        if (site.status() != 201) {
            throw new IllegalStateException("cannot create site " + SITE + ": " + site.body());
        }
        server.createAgent("agent@sodam.test", "상담원", "agent-password-1");
        server.createAgent("super@sodam.test", "감독", "super-password-1");
        server.createAgent("admin@shop2.test", "가게2 관리자", "shop2-password-1");
        http.execute("UPDATE agents SET role = 'supervisor' WHERE email = 'super@sodam.test'");
        http.execute("UPDATE agents SET role = 'admin', site_id = '" + SITE + "' WHERE email = 'admin@shop2.test'");
        return new RoleTokens(admin, server.login("agent@sodam.test", "agent-password-1"),
                server.login("super@sodam.test", "super-password-1"), server.login("admin@shop2.test", "shop2-password-1"));
    }
}
