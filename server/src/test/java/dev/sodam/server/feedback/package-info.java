/** Tests of visitor feedback (👍/👎, CSAT, NPS) over real sockets and the admin endpoint. */
package dev.sodam.server.feedback;
