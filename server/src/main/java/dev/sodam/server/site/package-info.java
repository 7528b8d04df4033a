/**
 * Per-site widget settings: colours, position, greeting, logo, agent display names, pre-chat form,
 * privacy consent text, offline behaviour and the NPS question. Validated here, stored as one JSON
 * document per site, served publicly to the widget (with the teams' current operating hours and
 * whether an agent is online) and edited by admins. No Netty.
 */
package dev.sodam.server.site;
