package dev.sodam.server.auth;

import dev.sodam.server.model.Agent;
import dev.sodam.server.model.Author;
import dev.sodam.server.model.Visitor;

/** Who is on the other end of a connection or request, once authenticated. */
public sealed interface Principal {

    Author author();

    /** A visitor, proven by the visitor token. */
    record VisitorPrincipal(Visitor visitor) implements Principal {
        @Override
        public Author author() {
            return new Author(Author.Kind.VISITOR, visitor.id(), visitor.name());
        }
    }

    /** An agent or admin, proven by a login token. */
    record AgentPrincipal(Agent agent) implements Principal {
        @Override
        public Author author() {
            return new Author(Author.Kind.AGENT, agent.id(), agent.name());
        }

        /** Supervisors and admins see the queue and every agent's chats, and may transfer them. */
        public boolean supervises() {
            return agent.supervises();
        }
    }
}
