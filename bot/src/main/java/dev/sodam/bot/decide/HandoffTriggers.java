package dev.sodam.bot.decide;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Explicit requests for a person that hand off whatever the classifier thinks. Matched on the
 * normalised text (lower case, NFKC); Korean triggers also on the text without spaces.
 *
 * <p>Both languages have two kinds. Phrases that can only be a request ("상담원 연결", "사람이랑",
 * "real person", "live agent") always trigger, and so does a person said to be needed ("사람이 필요해요",
 * "직원이 필요합니다"). Words that also name the topic of an ordinary question
 * (상담원, 상담사, "agent", "operator", "a person", "human") trigger only in a request ("상담원 불러
 * 주세요", "상담원 있나요?", "talk to a human", "connect me with an agent") or as (almost) the whole
 * message ("상담원요", "agent please"), so "상담원 운영시간이 언제예요?", "how do I become a travel
 * agent" or "is the tour operator licensed" do not. A request that is turned down ("상담원 필요
 * 없어요", "상담원 연결 안 해도 돼요", "I don't need an agent") does not trigger either, and
 * {@link #declines} tells the responder so, since the classifier's handoff intent reads the words for
 * a person and not the "no" after them ("사람 부르지 마", "please do not transfer me to a human").
 */
public final class HandoffTriggers {

    /** Korean phrases that are a request wherever they appear (matched on the text without spaces). */
    private static final List<String> KO_REQUESTS = List.of(
            "사람연결", "사람이랑", "사람하고", "사람과통화", "사람한테", "직원연결", "직원이랑", "매니저연결",
            "담당자연결", "담당자랑", "전화상담", "통화하고싶");

    /** Korean words for an agent: a request only with a request word after them, or ending the message. */
    private static final List<String> KO_AGENTS = List.of("상담원", "상담사", "상담직원", "직원분");

    /**
     * Korean words for a person that a visitor may turn down ("사람 부르지 마세요", "직원 연결 원하지
     * 않아요") beside {@link #KO_AGENTS} and {@link #KO_REQUESTS}. Not triggers themselves ("사람 많아요?").
     */
    private static final List<String> KO_PEOPLE = List.of("사람", "직원", "담당자", "매니저");

    /**
     * Right after an agent word, a request: "with / to" (상담원이랑, 상담사한테, 상담원님과) or "a bit"
     * (상담원 좀 …), the polite 님 or 분 allowed in between.
     */
    private static final Pattern KO_PARTICLE_AFTER = Pattern.compile("^(님|분)?(이랑|랑|하고|과|와|한테|께|좀)");

    /**
     * Within a few syllables after an agent word, a request word: connect, call, switch to, talk, chat,
     * please, I want, is there one (상담원 있나요?, 상담원분 계세요?). Only nearby, so that "상담원
     * 운영시간이 언제예요" stays a question about the hours.
     */
    private static final Pattern KO_REQUEST_AFTER = Pattern.compile(
            "연결|불러|부르|바꿔|바꾸|대화|얘기|이야기|통화|채팅|부탁|주세요|해주|해줘|원해|원합|필요해|필요합|필요한데"
                    + "|만나|찾아|찾고|있나|있어요|있습니까|있을까|계세|계신|계실|와주|가능");
    private static final int KO_REQUEST_WINDOW = 8;

    /**
     * Before the request word of {@link #KO_REQUEST_AFTER}, a word that counts: "상담원 몇 분 계세요?", "상담원
     * 많이 있어요?" ask how many there are.
     */
    private static final Pattern KO_COUNTING = Pattern.compile("몇|많|얼마나");

    /**
     * Right after a word for a person ({@link #KO_PEOPLE}), saying one is needed: "사람이 필요해요", "직원
     * 필요합니다", "담당자가 좀 필요한데요", "사람 필요함". Only right after it, with at most a particle and an
     * adverb between ("설치하려면 사람이 몇 명 필요해요?" asks how many), and not as a question ("사람이
     * 필요한가요?") or turned down ("필요 없어요", {@link #refusedAfter}).
     */
    private static final Pattern KO_NEED_AFTER = Pattern.compile(
            "^(님|분)?(이|가|은|는|도)?(좀|꼭|당장|지금|진짜)?필요(해|합|한데|하거든|함|하다|$|[\\p{P}\\p{S}])");

    /**
     * The agent word ends the message, with at most a polite ending or punctuation: "상담원", "상담원요!",
     * "상담사님?", "봇 말고 상담원이요".
     */
    private static final Pattern KO_AT_END = Pattern.compile("^(님)?(요|이요)?[\\p{P}\\p{S}]*$");

    /**
     * A request turned down, after the request: "필요 없어요", "안 해도 돼요", "괜찮아요", "말고 …", "없이",
     * "싫어요", "하지 마세요", "부르지 마". (Before the request it turns something else down: "봇 말고 상담원".)
     */
    private static final Pattern KO_DECLINED = Pattern.compile(
            "필요없|필요는없|안해도|않아도|안하셔도|괜찮|말고|없어도|없이|싫|지마|지말|원하지않|안할");

    /**
     * Words for the bot. A refusal after one of them turns the bot down, not the person named before
     * it: "사람이랑 얘기하고 싶어요 봇은 싫어요", "상담원 연결해 주세요 챗봇 말고요" are requests.
     */
    private static final Pattern KO_BOT = Pattern.compile("봇|로봇|기계|자동응답|ai|bot");

    /** An English request turned down: a negation at most two words before the request's verb. */
    private static final Pattern EN_DECLINED = Pattern.compile(
            "\\b(don'?t|do not|doesn'?t|no need to|not|never|without)(\\s+\\S+){0,2}\\s*$");

    private static final Pattern EN_STRONG = Pattern.compile(
            "\\b(real person|live person|real human|live agent|human agent|customer service rep(resentative)?|"
                    + "live chat|someone real|real people|actual person|speak to someone|talk to someone)\\b");

    private static final String PERSON = "(humans?|persons?|agents?|operators?|representatives?|reps?|someone|"
            + "somebody|people|staff|support staff)";

    /** verb [me] [to|with|through to] [a|an|the|some|real|live|actual|customer service]* PERSON */
    private static final Pattern EN_REQUEST = Pattern.compile(
            "\\b(talk|talking|speak|speaking|chat|chatting|connect|transfer|put|get|need|want|reach|call|contact)"
                    + "(\\s+me)?(\\s+(to|with|through to|through))?"
                    + "(\\s+(a|an|the|some|real|live|actual|customer|service|support))*\\s+" + PERSON + "\\b");

    /** The whole message is the request: "agent", "agent please", "a human!", "operator now". */
    private static final Pattern EN_ALONE = Pattern.compile(
            "^(i\\s+want\\s+|give\\s+me\\s+)?(a|an|the)?\\s*" + PERSON
                    + "(\\s+(please|pls|plz|now|asap))?[\\s\\p{P}]*$");

    /**
     * Korean words for a person that a request names ({@link #asks}): {@link #KO_PEOPLE}, {@link #KO_AGENTS}
     * and the customer centre ("고객센터 연결").
     */
    private static final List<String> KO_ASKED = List.of("사람", "직원", "담당자", "매니저", "상담원", "상담사",
            "상담직원", "고객센터");

    /**
     * Right after a word for a person, "with / to" (사람이랑, 직원한테); unlike {@link #KO_PARTICLE_AFTER}
     * without 좀, which is also "quite" ("사람 좀 많네요").
     */
    private static final Pattern KO_WITH_AFTER = Pattern.compile("^(님|분)?(이랑|랑|하고|과|와|한테|께)");

    /** Right after a word for a person, asking whether one is there: "사람 있어요?", "직원분 계세요?". */
    private static final Pattern KO_THERE_AFTER = Pattern.compile("^(님|분)?(이|가|은|는|도)?(있|계)");

    /**
     * Within a few syllables after a word for a person, a verb of a request. Unlike
     * {@link #KO_REQUEST_AFTER} without "있어요"/"가능": "사람 많이 있어요?" asks about a crowd.
     */
    private static final Pattern KO_ASK_AFTER = Pattern.compile(
            "연결|불러|부르|바꿔|바꾸|대화|얘기|이야기|통화|채팅|부탁|주세요|해주|해줘|원해|원합|필요|만나|찾아|찾고|와주");

    /** A word for the bot turned down before the person: "챗봇 말고 사람", "봇 아니고 직원이요". */
    private static final Pattern KO_NOT_THE_BOT = Pattern.compile("(봇|로봇|기계|자동응답)(은|이|는)?(말고|아니고|아닌)");

    /** English: the bot turned down, "not a bot, a person please". */
    private static final Pattern EN_NOT_THE_BOT = Pattern.compile("\\b(not|no)\\s+(a\\s+|the\\s+)?(ro)?bots?\\b");

    /** Compiled once: {@code String.replaceAll} compiled its pattern on every question. */
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private HandoffTriggers() {
    }

    /** True when {@code normalizedText} asks for a person. */
    public static boolean matches(String normalizedText) {
        String compact = WHITESPACE.matcher(normalizedText).replaceAll("");
        if (koreanRequest(compact)) {
            return true;
        }
        if (!hasLatinLetter(normalizedText)) {
            return false; // every English pattern needs a word of Latin letters: skip three regex scans
        }
        String t = normalizedText.strip();
        return englishRequest(EN_STRONG, t) || englishRequest(EN_REQUEST, t) || EN_ALONE.matcher(t).matches();
    }

    private static boolean koreanRequest(String compact) {
        for (String k : KO_REQUESTS) {
            int at = compact.indexOf(k);
            if (at >= 0 && !refusedAfter(compact, at + k.length())) {
                return true;
            }
        }
        for (String k : KO_PEOPLE) {
            for (int at = compact.indexOf(k); at >= 0; at = compact.indexOf(k, at + 1)) {
                int end = at + k.length();
                if (KO_NEED_AFTER.matcher(compact).region(end, compact.length()).find() && !refusedAfter(compact, end)) {
                    return true;
                }
            }
        }
        for (String k : KO_AGENTS) {
            for (int at = compact.indexOf(k); at >= 0; at = compact.indexOf(k, at + 1)) {
                int end = at + k.length();
                Matcher after = KO_REQUEST_AFTER.matcher(compact)
                        .region(end, Math.min(compact.length(), end + KO_REQUEST_WINDOW));
                boolean request = KO_PARTICLE_AFTER.matcher(compact).region(end, compact.length()).find()
                        || after.find() && !KO_COUNTING.matcher(compact).region(end, after.start()).find()
                        || KO_AT_END.matcher(compact).region(end, compact.length()).matches();
                if (request && !refusedAfter(compact, end)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * True when {@code normalizedText} is worded as a request for a person, whether or not it is turned
     * down after ({@link #declines} tells): a word for a person with a request verb or particle after it
     * ("사람 불러주세요", "사람이랑 얘기할래요", "직원 연결 부탁드려요"), asking whether one is there ("사람
     * 있어요?", "상담원분 계세요?") or ending the message ("상담원요", "진짜 사람이요"), a bot turned down
     * ("챗봇 말고 …"), a request phrase ({@link #matches}' "사람이랑", "전화상담"), or an English request
     * ("talk to a human", "agent please", "not a bot"). The classifier's handoff intent hands off only
     * then: it weighs the word for a person, so "사람 많아요?" or "매장에 사람 많이 기다려요?" (a question
     * about a crowd) read as a request.
     */
    public static boolean asks(String normalizedText) {
        String compact = WHITESPACE.matcher(normalizedText).replaceAll("");
        for (String k : KO_REQUESTS) {
            if (compact.contains(k)) {
                return true;
            }
        }
        if (KO_NOT_THE_BOT.matcher(compact).find()) {
            return true;
        }
        for (String k : KO_ASKED) {
            for (int at = compact.indexOf(k); at >= 0; at = compact.indexOf(k, at + 1)) {
                int end = at + k.length();
                if (KO_WITH_AFTER.matcher(compact).region(end, compact.length()).find()
                        || KO_THERE_AFTER.matcher(compact).region(end, compact.length()).find()
                        || KO_ASK_AFTER.matcher(compact).region(end, Math.min(compact.length(), end + KO_REQUEST_WINDOW))
                                .find()
                        || KO_AT_END.matcher(compact).region(end, compact.length()).matches()) {
                    return true;
                }
            }
        }
        if (!hasLatinLetter(normalizedText)) {
            return false;
        }
        String t = normalizedText.strip();
        return EN_STRONG.matcher(t).find() || EN_REQUEST.matcher(t).find() || EN_ALONE.matcher(t).matches()
                || EN_NOT_THE_BOT.matcher(t).find();
    }

    /**
     * True when {@code normalizedText} turns a person down: a word for a person followed by a refusal
     * ("상담원 필요 없어요", "사람 부르지 마세요", "사람 말고 봇이 답해줘"), or an English request after a
     * negation ("please do not transfer me to a human", "I'd rather not talk to a person"). A refusal
     * before the person ("봇 말고 상담원") turns something else down and is no decline.
     */
    public static boolean declines(String normalizedText) {
        String compact = WHITESPACE.matcher(normalizedText).replaceAll("");
        for (List<String> words : List.of(KO_REQUESTS, KO_AGENTS, KO_PEOPLE)) {
            for (String k : words) {
                for (int at = compact.indexOf(k); at >= 0; at = compact.indexOf(k, at + 1)) {
                    if (refusedAfter(compact, at + k.length())) {
                        return true;
                    }
                }
            }
        }
        if (!hasLatinLetter(normalizedText)) {
            return false;
        }
        String t = normalizedText.strip();
        return englishDeclined(EN_STRONG, t) || englishDeclined(EN_REQUEST, t);
    }

    /**
     * A refusal after {@code from} that turns down what was named before it: the first refusal, unless
     * a word for the bot comes first ("…싶어요 봇은 싫어요" turns the bot down).
     */
    private static boolean refusedAfter(String compact, int from) {
        Matcher refusal = KO_DECLINED.matcher(compact).region(from, compact.length());
        return refusal.find() && !KO_BOT.matcher(compact).region(from, refusal.start()).find();
    }

    private static boolean englishDeclined(Pattern request, String t) {
        Matcher m = request.matcher(t);
        while (m.find()) {
            if (EN_DECLINED.matcher(t).region(0, m.start()).find()) {
                return true;
            }
        }
        return false;
    }

    /** A request ("talk to a human", "real person") that is not turned down ("I don't need an agent"). */
    private static boolean englishRequest(Pattern request, String t) {
        Matcher m = request.matcher(t);
        while (m.find()) {
            if (!EN_DECLINED.matcher(t).region(0, m.start()).find()) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasLatinLetter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                return true;
            }
        }
        return false;
    }
}
