// The chat page: plain JavaScript on the @tether/client UMD bundle (`window.Tether`), no framework.
// Rooms are presence channels; messages go through the backend (POST /messages), which publishes
// them; "is typing…" is a client event; the connection panel shows connection.diagnostics().
/* global window, document, location */
(function () {
  'use strict';

  /** Every number the page uses. */
  var chatDefaults = {
    /** A typing notice is sent at most this often while someone types. */
    typingThrottleMs: 1500,
    /** A "… is typing" line disappears this long after the last notice (or at once with a message). */
    typingTimeoutMs: 3000,
    /** The connection panel refreshes this often besides on every connection event (bans expire, clocks tick). */
    panelRefreshMs: 1000,
    userIdBytes: 12,
  };

  /** Client options a URL may set, e.g. `/?probeDelayMs=600000&backoffMinMs=200`: for demos and tests. */
  var NUMERIC_OPTIONS = [
    'activityTimeout',
    'pongTimeout',
    'unavailableTimeout',
    'fallbackDelayPlainMs',
    'fallbackDelayTlsMs',
    'longPollDelayMs',
    'handshakeTimeoutMs',
    'backoffMinMs',
    'backoffBaseMs',
    'backoffCapMs',
    'banDurationMs',
    'memoryTtlMs',
    'probeDelayMs',
    'probeIntervalMs',
    'probeIntervalCapMs',
    'reachabilityTimeoutMs',
  ];

  var STORAGE = { name: 'chat:name', userId: 'chat:user-id' };
  var ROOM_CHANNEL_PREFIX = 'presence-chat-';
  var EVENTS = { message: 'message', typing: 'client-typing' };

  var $ = function (id) {
    return document.getElementById(id);
  };
  var params = new URLSearchParams(location.search);

  /** What tests and curious people can look at from the console. */
  var debug = { client: null, channel: null, connectedTransports: [] };
  window.tetherChat = debug;

  if (typeof window.Tether !== 'function') {
    showFatal(
      'The Tether client bundle did not load (/vendor/tether.umd.min.js). Build it with `pnpm --filter @tether/client build`.',
    );
    return;
  }

  // ---------------------------------------------------------------------------------------------
  // Identity: a display name the person picks, and a random id per browser tab (kept across reloads).

  function storageGet(storage, key) {
    try {
      return storage.getItem(key);
    } catch {
      return null;
    }
  }
  function storageSet(storage, key, value) {
    try {
      storage.setItem(key, value);
    } catch {
      // Private mode: nothing remembered.
    }
  }

  function tabUserId() {
    var existing = storageGet(sessionStorage, STORAGE.userId);
    if (existing && /^[A-Za-z0-9_-]{8,64}$/.test(existing)) return existing;
    var bytes = new Uint8Array(chatDefaults.userIdBytes);
    crypto.getRandomValues(bytes);
    var id = Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, '0');
      })
      .join('');
    storageSet(sessionStorage, STORAGE.userId, id);
    return id;
  }

  var me = { id: tabUserId(), name: '' };
  var room = null;
  var channel = null;

  // ---------------------------------------------------------------------------------------------
  // The client

  function clientOptions() {
    var options = {
      channelAuthorization: {
        endpoint: '/auth',
        paramsProvider: function () {
          return { name: me.name, user_id: me.id };
        },
      },
      host: location.hostname,
      forceTLS: location.protocol === 'https:',
    };
    if (location.port) options.port = Number(location.port);
    NUMERIC_OPTIONS.forEach(function (name) {
      var raw = params.get(name);
      if (raw !== null && raw !== '' && isFinite(Number(raw))) options[name] = Number(raw);
    });
    var transports = params.get('transports');
    if (transports) options.enabledTransports = transports.split(',');
    return options;
  }

  var client;

  function start(config) {
    client = new window.Tether(config.appKey, clientOptions());
    debug.client = client;
    var connection = client.connection;
    [
      'state_change',
      'connected',
      'disconnected',
      'connecting_in',
      'transport_change',
      'unavailable',
      'failed',
      'error',
    ].forEach(function (event) {
      connection.bind(event, renderConnection);
    });
    connection.bind('connected', function (ctx) {
      debug.connectedTransports.push(ctx.transport);
    });
    connection.bind('state_change', function () {
      renderMembers();
    });
    setInterval(renderConnection, chatDefaults.panelRefreshMs);
    renderConnection();
    // Leave at once when the tab goes away, so the others' online lists are right immediately.
    window.addEventListener('pagehide', function () {
      client.disconnect();
    });

    var storedName = storageGet(localStorage, STORAGE.name);
    if (storedName) $('name').value = storedName;
    if (params.get('room')) $('room').value = params.get('room');
    if (params.get('name')) $('name').value = params.get('name');
    $('join-form').addEventListener('submit', function (event) {
      event.preventDefault();
      join($('name').value.trim(), $('room').value.trim());
    });
    if (params.get('name') && params.get('room')) join(params.get('name').trim(), params.get('room').trim());
  }

  // ---------------------------------------------------------------------------------------------
  // Joining a room

  function join(name, roomName) {
    if (!name || !/^[A-Za-z0-9_-]{1,40}$/.test(roomName)) return;
    me.name = name.slice(0, 32);
    room = roomName;
    storageSet(localStorage, STORAGE.name, me.name);
    $('join').hidden = true;
    $('chat').hidden = false;
    $('room-title').textContent = '#' + room;
    document.title = '#' + room + ' · Tether chat';

    channel = client.subscribe(ROOM_CHANNEL_PREFIX + room);
    debug.channel = channel;
    channel.bind('pusher:subscription_succeeded', function () {
      renderMembers();
      loadHistory();
    });
    channel.bind('pusher:subscription_error', function (ctx) {
      showError(
        'Could not join #' +
          room +
          ': ' +
          (ctx.error || ctx.type) +
          (ctx.status ? ' (HTTP ' + ctx.status + ')' : ''),
      );
    });
    channel.bind('pusher:member_added', renderMembers);
    channel.bind('pusher:member_removed', function (ctx) {
      stopTyping(ctx.member.id);
      renderMembers();
    });
    channel.bind(EVENTS.message, function (ctx) {
      addMessage(ctx.data);
    });
    channel.bind(EVENTS.typing, function (ctx) {
      var userId = ctx.userId;
      var name = ctx.data && typeof ctx.data.name === 'string' ? ctx.data.name : null;
      var member = userId ? channel.members.get(userId) : null;
      if (!userId || userId === me.id) return;
      showTyping(userId, member && member.info && member.info.name ? member.info.name : name || 'Someone');
    });
    $('message').addEventListener('input', typed);
    $('message-form').addEventListener('submit', function (event) {
      event.preventDefault();
      send();
    });
    $('message').focus();
  }

  function loadHistory() {
    fetch('/rooms/' + encodeURIComponent(room) + '/messages')
      .then(function (response) {
        return response.ok ? response.json() : { messages: [] };
      })
      .then(function (body) {
        (body.messages || []).forEach(addMessage);
      })
      .catch(function () {
        // Live messages still arrive; history is a nicety.
      });
  }

  // ---------------------------------------------------------------------------------------------
  // Online list

  function renderMembers() {
    var list = $('members');
    if (!channel) return;
    var people = [];
    if (channel.subscribed) {
      channel.members.each(function (member) {
        people.push({
          id: member.id,
          name: member.info && member.info.name ? String(member.info.name) : member.id,
        });
      });
      people.sort(function (a, b) {
        return a.name.localeCompare(b.name);
      });
      list.replaceChildren.apply(
        list,
        people.map(function (person) {
          var li = document.createElement('li');
          li.textContent = person.name + (person.id === me.id ? ' (you)' : '');
          li.dataset.userId = person.id;
          if (person.id === me.id) li.className = 'me';
          return li;
        }),
      );
      $('online-count').textContent = String(people.length);
    }
    list.classList.toggle('stale', !channel.subscribed);
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  var seen = new Set();

  function addMessage(message) {
    if (!message || typeof message.id !== 'string' || seen.has(message.id) || message.room !== room) return;
    seen.add(message.id);
    stopTyping(message.userId);
    var li = document.createElement('li');
    li.dataset.at = String(message.at);
    li.dataset.id = message.id;
    if (message.userId === me.id) li.className = 'mine';
    var who = document.createElement('div');
    who.className = 'who';
    who.textContent =
      message.name +
      ' · ' +
      new Date(message.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    var text = document.createElement('div');
    text.className = 'text';
    text.textContent = message.text;
    li.append(who, text);
    // Keep time order: history may arrive after a live message.
    var list = $('messages');
    var after = null;
    for (var node = list.lastElementChild; node; node = node.previousElementSibling) {
      if (Number(node.dataset.at) <= message.at) break;
      after = node;
    }
    list.insertBefore(li, after);
    list.scrollTop = list.scrollHeight;
  }

  function send() {
    var input = $('message');
    var text = input.value.trim();
    if (!text) return;
    showError('');
    fetch('/messages', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ room: room, userId: me.id, name: me.name, text: text }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error ? body.error.message : 'HTTP ' + response.status);
          return body;
        });
      })
      .then(function (body) {
        addMessage(body.message);
        if (input.value.trim() === text) input.value = '';
      })
      .catch(function (error) {
        showError('Not sent: ' + error.message);
      });
    lastTypingSent = 0;
  }

  // ---------------------------------------------------------------------------------------------
  // "… is typing": a client event, sent at most every typingThrottleMs, shown for typingTimeoutMs.

  var lastTypingSent = 0;
  var typing = new Map();

  function typed() {
    var now = Date.now();
    if (
      !channel ||
      !channel.subscribed ||
      !$('message').value.trim() ||
      now - lastTypingSent < chatDefaults.typingThrottleMs
    )
      return;
    lastTypingSent = now;
    channel.trigger(EVENTS.typing, { name: me.name });
  }

  function showTyping(userId, name) {
    var entry = typing.get(userId);
    if (entry) clearTimeout(entry.timer);
    typing.set(userId, {
      name: name,
      timer: setTimeout(function () {
        stopTyping(userId);
      }, chatDefaults.typingTimeoutMs),
    });
    renderTyping();
  }

  function stopTyping(userId) {
    var entry = typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    typing.delete(userId);
    renderTyping();
  }

  function renderTyping() {
    var names = Array.from(typing.values()).map(function (entry) {
      return entry.name;
    });
    var text = '';
    if (names.length === 1) text = names[0] + ' is typing…';
    else if (names.length === 2) text = names[0] + ' and ' + names[1] + ' are typing…';
    else if (names.length > 2) text = 'Several people are typing…';
    $('typing').textContent = text;
  }

  // ---------------------------------------------------------------------------------------------
  // Connection panel: connection.diagnostics() in plain words.

  function renderConnection() {
    if (!client) return;
    var d = client.connection.diagnostics();
    var header = $('connection');
    header.dataset.state = d.state;
    $('connection-state').textContent = d.state;
    $('connection-transport').textContent = d.transport || '—';
    $('panel-state').textContent =
      d.state + (d.attempts > 1 && d.state !== 'connected' ? ' (attempt ' + d.attempts + ')' : '');
    $('panel-transport').textContent = d.transport || '—';
    $('panel-socket').textContent = d.socketId || '—';
    $('panel-why').textContent = d.why || '—';

    var websocket = $('panel-websocket');
    var ws = d.transports.find(function (t) {
      return t.name === 'websocket';
    });
    if (!ws) {
      websocket.textContent = 'not enabled on this page';
      websocket.className = '';
      websocket.title = '';
    } else if (ws.disabledUntil !== null) {
      var drops = ws.deaths.length;
      websocket.textContent =
        'disabled until ' +
        new Date(ws.disabledUntil).toLocaleTimeString() +
        (drops ? ' after ' + drops + ' drops' : '');
      websocket.className = 'bad';
      websocket.title = ws.disabledReason || '';
    } else {
      websocket.textContent =
        ws.deaths.length > 0
          ? 'enabled (' + ws.deaths.length + ' drop' + (ws.deaths.length > 1 ? 's' : '') + ')'
          : 'enabled';
      websocket.className = ws.deaths.length > 0 ? 'warn' : '';
      websocket.title = ws.deaths
        .map(function (death) {
          return death.reason;
        })
        .join('\n');
    }
    header.dataset.websocket = ws && ws.disabledUntil !== null ? 'disabled' : 'enabled';

    var close = $('panel-close');
    if (d.lastClose) {
      var c = d.lastClose;
      var summary = document.createElement('span');
      summary.textContent = c.code + ' ' + c.name + ' on ' + c.transport;
      var detail = document.createElement('small');
      detail.className = 'detail';
      detail.textContent = c.explanation;
      close.replaceChildren(summary, detail);
      close.title = c.likelyCauses.length ? 'Likely causes:\n• ' + c.likelyCauses.join('\n• ') : '';
      close.dataset.code = String(c.code);
    } else {
      close.textContent = 'none';
      close.title = '';
      delete close.dataset.code;
    }
  }

  // ---------------------------------------------------------------------------------------------

  function showError(text) {
    var el = $('chat-error');
    el.textContent = text;
    el.hidden = !text;
  }

  function showFatal(text) {
    var el = document.createElement('p');
    el.className = 'fatal card';
    el.textContent = text;
    document.body.prepend(el);
  }

  fetch('/config.json')
    .then(function (response) {
      return response.json();
    })
    .then(start)
    .catch(function (error) {
      showFatal('Could not load /config.json: ' + error.message);
    });
})();
