// UI strings for the visitor widget and the agent console. Korean first, English second.
// Placeholders are {name}; values are inserted as plain text by the caller's DOM code.

const STRINGS = {
  ko: {
    'widget.title': '소담 상담',
    'widget.subtitle': '궁금한 점을 편하게 물어보세요',
    'widget.open': '상담 채팅 열기',
    'widget.close': '채팅 닫기',
    'widget.handoff': '상담원 연결',
    'widget.handoffLabel': '상담원과 대화하기',
    // Typed as a message when there is no conversation yet; the server treats it as a handoff.
    'widget.handoffText': '상담원 연결',
    'widget.placeholder': '메시지를 입력하세요',
    'widget.inputLabel': '메시지 입력',
    'widget.send': '보내기',
    'widget.messages': '대화 내용',
    'widget.suggestions': '추천 질문',
    'widget.queue': '대기 순서: {n}번째',
    'widget.queued': '상담원을 기다리고 있어요',
    'widget.assigned': '{name} 상담원이 연결되었어요',
    'widget.resolved': '상담이 종료되었어요. 메시지를 보내면 새 상담이 시작돼요.',
    'widget.typing': '{name} 님이 입력 중이에요',
    'widget.typingAnon': '상담원이 입력 중이에요',
    'widget.connecting': '연결하는 중…',
    'widget.reconnecting': '연결이 끊겼어요. 다시 연결하는 중…',
    'widget.greeting': '안녕하세요! 무엇을 도와드릴까요?',
    'widget.pending': '보내는 중',
    'widget.failed': '전송 실패',
    'widget.unread': '새 메시지 {n}개',
    'widget.titleBlinkOne': '({n}) 새 메시지',
    'widget.titleBlink': '({n}) 새 메시지',
    'widget.mute': '알림음 끄기',
    'widget.queueEta': '대기 순서 {n}번째 · 예상 대기 {eta}',
    'widget.queuedEta': '상담원을 기다리고 있어요 · 예상 대기 {eta}',
    'widget.eta.underMinute': '1분 이내',
    'widget.eta.minutes': '약 {n}분',
    'widget.eta.hours': '약 {h}시간 {m}분',
    'error.too_large': '메시지가 너무 길어요. 4,000자까지 보낼 수 있어요.',
    'error.bad_request': '보낼 수 없는 메시지예요.',
    'error.conflict': '이미 처리된 요청이에요.',
    'error.forbidden': '권한이 없어요.',
    'error.not_found': '대화를 찾을 수 없어요.',
    'error.unauthorized': '다시 로그인해 주세요.',
    'error.generic': '문제가 생겼어요. 잠시 후 다시 시도해 주세요.',
    'console.title': '소담 콘솔',
    'console.login.heading': '상담원 로그인',
    'console.login.email': '이메일',
    'console.login.password': '비밀번호',
    'console.login.submit': '로그인',
    'console.login.failed': '이메일 또는 비밀번호가 올바르지 않아요.',
    'console.login.network': '서버에 연결할 수 없어요.',
    'console.login.expired': '세션이 만료되었어요. 다시 로그인해 주세요.',
    'console.logout': '로그아웃',
    'console.queue': '대기열',
    'console.queueEmpty': '기다리는 고객이 없어요',
    'console.mine': '내 상담',
    'console.mineEmpty': '진행 중인 상담이 없어요',
    'console.accept': '수락',
    'console.acceptLabel': '{name} 상담 수락',
    'console.resolve': '상담 종료',
    'console.resolveLabel': '{name} 상담 종료',
    'console.waiting': '{t} 대기',
    'console.justNow': '방금',
    'console.minutes': '{n}분',
    'console.hours': '{h}시간 {m}분',
    'console.position': '{n}번째',
    'console.replyPlaceholder': '답장을 입력하세요 (Enter 전송, Shift+Enter 줄바꿈)',
    'console.replyLabel': '답장',
    'console.send': '보내기',
    'console.noChat': '대기열이나 내 상담에서 대화를 선택하세요',
    'console.closeTab': '{name} 탭 닫기',
    'console.state.bot': '챗봇 응대 중',
    'console.state.queued': '대기 중',
    'console.state.assigned': '상담 중',
    'console.state.resolved': '종료됨',
    'console.takenByOther': '{name} 상담원이 맡은 상담이에요',
    'console.readOnly': '수락하면 답장할 수 있어요',
    'console.resolvedNote': '종료된 상담이에요',
    'console.typing': '{name} 님이 입력 중…',
    'console.connection.open': '연결됨',
    'console.connection.connecting': '연결 중…',
    'console.connection.closed': '연결 끊김',
    'console.unread': '읽지 않은 메시지 {n}개',
    'console.lists': '상담 목록',
    'console.tabs': '열린 상담',
    'console.presence.label': '내 상태',
    'console.presence.online': '온라인',
    'console.presence.away': '자리 비움',
    'console.presence.offline': '오프라인',
    'console.load': '{load} / {cap}',
    'console.loadLabel': '진행 중인 상담 {load}개 (최대 {cap}개)',
    'console.offers': '나에게 온 상담 제안',
    'console.offer.accept': '수락',
    'console.offer.decline': '거절',
    'console.offer.acceptLabel': '{name} 님의 상담 제안 수락',
    'console.offer.declineLabel': '{name} 님의 상담 제안 거절',
    'console.offer.countdown': '{n}초 남음',
    'console.offer.notifyTitle': '새 상담 제안',
    'console.offer.notifyBody': '{name}: {preview}',
    'console.withdrawn.timeout': '응답 시간이 지나 {name} 님의 상담이 다른 상담원에게 넘어갔어요',
    'console.withdrawn.declined': '{name} 님의 상담 제안을 거절했어요',
    'console.withdrawn.taken': '{name} 님의 상담을 다른 상담원이 맡았어요',
    'console.withdrawn.presence': '상태가 바뀌어 {name} 님의 상담 제안이 취소되었어요',
    'console.withdrawn.other': '{name} 님의 상담 제안이 취소되었어요',
    'console.acceptConflict': '수락할 수 없어요: {message}',
    'console.conflict': '처리할 수 없어요: {message}',
    'console.notConnected': '서버에 연결되어 있지 않아요. 잠시 후 다시 시도해 주세요.',
    'console.alerts': '관리자 알림',
    'console.alert.unplaced': '{name} 님의 상담을 아무도 수락하지 않았어요',
    'console.alert.accept': '열고 수락',
    'console.alert.acceptLabel': '{name} 님의 상담 열고 수락',
    'console.alert.dismiss': '닫기',
    'console.agents': '상담원 현황',
    'console.agentsEmpty': '상태가 바뀐 상담원이 여기에 표시돼요',
  },
  en: {
    'widget.title': 'Sodam chat',
    'widget.subtitle': 'Ask us anything',
    'widget.open': 'Open chat',
    'widget.close': 'Close chat',
    'widget.handoff': 'Talk to a person',
    'widget.handoffLabel': 'Talk to a person',
    'widget.handoffText': 'talk to a human',
    'widget.placeholder': 'Type a message…',
    'widget.inputLabel': 'Message',
    'widget.send': 'Send',
    'widget.messages': 'Conversation',
    'widget.suggestions': 'Suggested questions',
    'widget.queue': 'You are #{n} in the queue',
    'widget.queued': 'Waiting for an agent',
    'widget.assigned': '{name} has joined the chat',
    'widget.resolved': 'This chat has ended. Send a message to start a new one.',
    'widget.typing': '{name} is typing…',
    'widget.typingAnon': 'An agent is typing…',
    'widget.connecting': 'Connecting…',
    'widget.reconnecting': 'Connection lost. Reconnecting…',
    'widget.greeting': 'Hi! How can we help?',
    'widget.pending': 'Sending',
    'widget.failed': 'Not sent',
    'widget.unread': 'new messages: {n}',
    'widget.titleBlinkOne': '({n}) New message',
    'widget.titleBlink': '({n}) New messages',
    'widget.mute': 'Mute notification sound',
    'widget.queueEta': 'You are #{n} in the queue · {eta}',
    'widget.queuedEta': 'Waiting for an agent · {eta}',
    'widget.eta.underMinute': 'under a minute',
    'widget.eta.minutes': 'about {n} min',
    'widget.eta.hours': 'about {h} h {m} min',
    'error.too_large': 'That message is too long (4,000 characters max).',
    'error.bad_request': 'That message could not be sent.',
    'error.conflict': 'That was already handled.',
    'error.forbidden': 'You are not allowed to do that.',
    'error.not_found': 'Conversation not found.',
    'error.unauthorized': 'Please sign in again.',
    'error.generic': 'Something went wrong. Please try again.',
    'console.title': 'Sodam console',
    'console.login.heading': 'Agent sign in',
    'console.login.email': 'Email',
    'console.login.password': 'Password',
    'console.login.submit': 'Sign in',
    'console.login.failed': 'Wrong email or password.',
    'console.login.network': 'Cannot reach the server.',
    'console.login.expired': 'Your session expired. Please sign in again.',
    'console.logout': 'Sign out',
    'console.queue': 'Queue',
    'console.queueEmpty': 'No one is waiting',
    'console.mine': 'My chats',
    'console.mineEmpty': 'No open chats',
    'console.accept': 'Accept',
    'console.acceptLabel': 'Accept chat with {name}',
    'console.resolve': 'Resolve',
    'console.resolveLabel': 'Resolve chat with {name}',
    'console.waiting': 'waiting {t}',
    'console.justNow': 'just now',
    'console.minutes': '{n} min',
    'console.hours': '{h} h {m} min',
    'console.position': '#{n}',
    'console.replyPlaceholder': 'Reply (Enter to send, Shift+Enter for a new line)',
    'console.replyLabel': 'Reply',
    'console.send': 'Send',
    'console.noChat': 'Pick a conversation from the queue or your chats',
    'console.closeTab': 'Close {name}',
    'console.state.bot': 'With the bot',
    'console.state.queued': 'Waiting',
    'console.state.assigned': 'In progress',
    'console.state.resolved': 'Resolved',
    'console.takenByOther': '{name} took this chat',
    'console.readOnly': 'Accept the chat to reply',
    'console.resolvedNote': 'This chat is resolved',
    'console.typing': '{name} is typing…',
    'console.connection.open': 'Online',
    'console.connection.connecting': 'Connecting…',
    'console.connection.closed': 'Offline',
    'console.unread': '{n} unread',
    'console.lists': 'Conversations',
    'console.tabs': 'Open chats',
    'console.presence.label': 'My status',
    'console.presence.online': 'Online',
    'console.presence.away': 'Away',
    'console.presence.offline': 'Offline',
    'console.load': '{load} / {cap}',
    'console.loadLabel': '{load} open chats (limit {cap})',
    'console.offers': 'Offered to you',
    'console.offer.accept': 'Accept',
    'console.offer.decline': 'Decline',
    'console.offer.acceptLabel': 'Accept the chat offer from {name}',
    'console.offer.declineLabel': 'Decline the chat offer from {name}',
    'console.offer.countdown': '{n}s left',
    'console.offer.notifyTitle': 'New chat offer',
    'console.offer.notifyBody': '{name}: {preview}',
    'console.withdrawn.timeout': 'Time ran out: the chat with {name} went to another agent',
    'console.withdrawn.declined': 'You declined the chat with {name}',
    'console.withdrawn.taken': 'Another agent took the chat with {name}',
    'console.withdrawn.presence': 'Your status changed, so the offer for {name} was withdrawn',
    'console.withdrawn.other': 'The offer for {name} was withdrawn',
    'console.acceptConflict': 'Could not accept: {message}',
    'console.conflict': 'Could not do that: {message}',
    'console.notConnected': 'Not connected to the server. Please try again shortly.',
    'console.alerts': 'Supervisor alerts',
    'console.alert.unplaced': 'Nobody accepted the chat with {name}',
    'console.alert.accept': 'Open and accept',
    'console.alert.acceptLabel': 'Open and accept the chat with {name}',
    'console.alert.dismiss': 'Dismiss',
    'console.agents': 'Agents',
    'console.agentsEmpty': 'Agents appear here when their status changes',
  },
};

export const LOCALES = Object.freeze(Object.keys(STRINGS));

function normalize(tag) {
  if (typeof tag !== 'string' || tag.trim() === '') return null;
  return tag.trim().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * 'ko' or 'en'. An explicit override (the script tag's data-locale, or data-locale on <html>)
 * wins; otherwise <html lang>: anything starting with "ko" is Korean, everything else English.
 */
export function pickLocale(doc, override) {
  const root = doc?.documentElement;
  return (
    normalize(override) ??
    normalize(root?.getAttribute?.('data-locale')) ??
    normalize(root?.lang ?? root?.getAttribute?.('lang')) ??
    'en'
  );
}

/** t(key, {name}) for one locale; unknown keys fall back to English, then to the key itself. */
export function translator(locale) {
  const table = STRINGS[locale] ?? STRINGS.en;
  return (key, vars = {}) => {
    const template = table[key] ?? STRINGS.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
  };
}

/** Human waiting time since an ISO timestamp: "방금", "3분", "1시간 5분". */
export function formatWaiting(since, t, now = Date.now()) {
  const ms = now - new Date(since).getTime();
  if (!Number.isFinite(ms)) return '';
  const minutes = Math.floor(ms / 60000);
  if (minutes < 1) return t('console.justNow');
  if (minutes < 60) return t('console.minutes', { n: minutes });
  return t('console.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/**
 * Expected wait from a status's `etaSeconds`: "1분 이내" under a minute, else "약 2분"
 * (rounded to the nearest minute), "약 1시간 5분" from an hour. '' when unknown.
 */
export function formatEta(seconds, t) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) return '';
  if (seconds < 60) return t('widget.eta.underMinute');
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return t('widget.eta.minutes', { n: minutes });
  return t('widget.eta.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
}

/**
 * The visitor's status line while queued: position and, when the server knows it, the ETA.
 * "대기 순서 3번째 · 예상 대기 약 2분"; without etaSeconds the older "대기 순서: 3번째".
 */
export function queueStatusText(t, { queuePosition, etaSeconds } = {}) {
  const eta = formatEta(etaSeconds, t);
  if (queuePosition) return eta ? t('widget.queueEta', { n: queuePosition, eta }) : t('widget.queue', { n: queuePosition });
  return eta ? t('widget.queuedEta', { eta }) : t('widget.queued');
}

/** For tests: the key sets of every locale. */
export function stringTables() {
  return STRINGS;
}
