// Browser code of the simulated Meet pages, served inline (with a CSP nonce). Plain ES2020, no
// template literals, so it can live in these strings. Names and other data only ever go through
// textContent: room names are free text from 3.5 on (../../../shared/protocols/openvidu-meet.md §2.8, §5.6).

/**
 * The page side of the iframe channel (§4.6): messages to the parent wait for the web component's
 * `initialize` (which tells the parent's origin); without one, the referrer's origin is used.
 */
const PARENT_BRIDGE = /* js */ `
var bridge = (function () {
  var parentOrigin = null;
  var queue = [];
  var onCommand = function () {};
  var embedded = window.parent !== window;
  function flush() {
    queue.splice(0).forEach(function (message) { window.parent.postMessage(message, parentOrigin); });
  }
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || !event.data || typeof event.data !== 'object') return;
    if (event.data.command === 'initialize') {
      parentOrigin = event.origin;
      flush();
      return;
    }
    onCommand(event.data.command, event.data.payload || {});
  });
  setTimeout(function () {
    if (parentOrigin || !embedded) return;
    try { parentOrigin = document.referrer ? new URL(document.referrer).origin : '*'; } catch (e) { parentOrigin = '*'; }
    flush();
  }, 1000);
  return {
    embedded: embedded,
    notify: function (message) {
      if (!embedded) return;
      if (parentOrigin) window.parent.postMessage(message, parentOrigin); else queue.push(message);
    },
    onCommand: function (handler) { onCommand = handler; }
  };
})();
var data = JSON.parse(document.getElementById('sim-data').textContent);
function byId(id) { return document.getElementById(id); }
`;

/** The meeting: join on load, Leave, and for moderators End meeting and Start/Stop recording. */
export const MEETING_PAGE_SCRIPT = /* js */ `
${PARENT_BRIDGE}
(function () {
  'use strict';
  var roomPath = '/rooms/' + encodeURIComponent(data.roomId);
  var identity = null;
  var leaving = false;
  var pollTimer = null;
  var activeRecording = null;
  var isModerator = data.role === 'moderator';

  byId('room-name').textContent = data.roomName;
  byId('role').textContent = data.role;
  document.title = data.roomName + ' · OpenVidu Meet (simulated)';

  function api(method, path, body) {
    return fetch(data.controlBase + path, {
      method: method,
      headers: body ? { 'Content-Type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined
    }).then(function (res) {
      if (res.status === 204) return {};
      return res.json().then(function (json) {
        if (!res.ok) { var error = new Error(json.message || ('HTTP ' + res.status)); error.status = res.status; throw error; }
        return json;
      });
    });
  }
  function say(text) { byId('status-line').textContent = text; }

  function showOutside(text) {
    byId('in-meeting').hidden = true;
    byId('outside').hidden = false;
    byId('outside-text').textContent = text;
    if (!bridge.embedded) byId('back-btn').textContent = 'Close';
  }

  function finish(reason, text) {
    if (identity === null) return;
    var who = identity;
    identity = null;
    clearInterval(pollTimer);
    bridge.notify({ type: 'left', roomId: data.roomId, participantIdentity: who, reason: reason });
    showOutside(text);
    var redirect = data.leaveRedirectUrl;
    if (redirect && /^https?:/.test(redirect)) setTimeout(function () { window.location.href = redirect; }, 300);
  }

  function render(view) {
    var list = byId('participants');
    list.replaceChildren();
    var participants = view.meeting ? view.meeting.participants : [];
    participants.forEach(function (p) {
      var item = document.createElement('li');
      item.textContent = p.name + ' (' + p.role + ')' + (p.identity === identity ? ' — you' : '');
      list.appendChild(item);
    });
    activeRecording = view.recordings.filter(function (r) {
      return r.status === 'starting' || r.status === 'active' || r.status === 'ending';
    })[0] || null;
    byId('rec-badge').hidden = !activeRecording;
    byId('rec-badge').textContent = activeRecording ? 'REC · ' + activeRecording.status : '';
    if (isModerator) {
      byId('rec-start-btn').hidden = !!activeRecording;
      byId('rec-stop-btn').hidden = !activeRecording || activeRecording.status !== 'active';
    }
    var stillHere = participants.some(function (p) { return p.identity === identity; });
    if (!stillHere) finish('meeting_ended', 'The meeting has ended.');
  }

  function poll() {
    if (identity === null || leaving) return;
    api('GET', roomPath).then(function (view) { if (!leaving) render(view); }, function (error) {
      if (error.status === 404) finish('meeting_ended', 'The meeting has ended and the room no longer exists.');
    });
  }

  function leave() {
    if (identity === null || leaving) return;
    leaving = true;
    api('POST', roomPath + '/leave', { identity: identity }).catch(function () {}).then(function () {
      finish('voluntary_leave', 'You left the meeting.');
    });
  }

  function endMeeting() {
    if (identity === null || leaving || !isModerator) return;
    leaving = true;
    api('POST', roomPath + '/end-meeting').then(function () {
      finish('meeting_ended_by_self', 'You ended the meeting for everyone.');
    }, function (error) { leaving = false; say(error.message); });
  }

  function startRecording() {
    byId('rec-start-btn').disabled = true;
    say('Starting recording…');
    api('POST', roomPath + '/recordings').then(function () { say('Recording.'); }, function (error) { say(error.message); })
      .then(function () { byId('rec-start-btn').disabled = false; poll(); });
  }

  function stopRecording() {
    if (!activeRecording) return;
    byId('rec-stop-btn').disabled = true;
    say('Stopping recording…');
    api('POST', '/recordings/' + encodeURIComponent(activeRecording.recordingId) + '/stop', { outcome: 'complete' })
      .then(function () { say('Recording saved.'); }, function (error) { say(error.message); })
      .then(function () { byId('rec-stop-btn').disabled = false; poll(); });
  }

  byId('leave-btn').addEventListener('click', leave);
  byId('back-btn').addEventListener('click', function () {
    bridge.notify({ type: 'closed', roomId: data.roomId });
    if (!bridge.embedded) byId('outside-text').textContent = 'You can close this tab now.';
  });
  if (isModerator) {
    ['end-btn', 'rec-start-btn'].forEach(function (id) { byId(id).hidden = false; });
    byId('end-btn').addEventListener('click', endMeeting);
    byId('rec-start-btn').addEventListener('click', startRecording);
    byId('rec-stop-btn').addEventListener('click', stopRecording);
  }
  bridge.onCommand(function (command) {
    if (command === 'leaveRoom') leave();
    else if (command === 'endMeeting') endMeeting();
  });
  window.addEventListener('pagehide', function () {
    if (identity === null || leaving) return;
    var beacon = new Blob([JSON.stringify({ identity: identity })], { type: 'application/json' });
    navigator.sendBeacon(data.controlBase + roomPath + '/leave', beacon);
  });

  api('POST', roomPath + '/join', { name: data.participantName, role: data.role }).then(function (participant) {
    identity = participant.identity;
    byId('in-meeting').hidden = false;
    bridge.notify({ type: 'joined', roomId: data.roomId, participantIdentity: identity });
    poll();
    pollTimer = setInterval(poll, 1000);
  }, function (error) {
    showOutside('Cannot join this room: ' + error.message);
  });
})();
`;

/** Playback of one recording, with a Back button that closes the web component's view. */
export const RECORDING_PAGE_SCRIPT = /* js */ `
${PARENT_BRIDGE}
(function () {
  'use strict';
  byId('room-name').textContent = data.roomName;
  byId('recording-status').textContent = data.status;
  byId('recording-start').textContent = data.startDate ? new Date(data.startDate).toLocaleString() : '—';
  byId('recording-duration').textContent = typeof data.duration === 'number' ? data.duration.toFixed(1) + ' s' : '—';
  if (data.mediaUrl) byId('player').src = data.mediaUrl;
  else byId('player').hidden = true;
  byId('back-btn').addEventListener('click', function () {
    bridge.notify({ type: 'closed', roomId: data.roomId });
  });
})();
`;

/** A room's recordings (the 3.8 anonymous recording link). */
export const ROOM_RECORDINGS_PAGE_SCRIPT = /* js */ `
${PARENT_BRIDGE}
(function () {
  'use strict';
  byId('room-name').textContent = data.roomName;
  var list = byId('recordings');
  if (data.recordings.length === 0) byId('empty').hidden = false;
  data.recordings.forEach(function (recording) {
    var item = document.createElement('li');
    var link = document.createElement('a');
    link.href = recording.url;
    link.textContent = recording.startDate ? new Date(recording.startDate).toLocaleString() : recording.recordingId;
    item.appendChild(link);
    item.appendChild(document.createTextNode(' · ' + recording.status));
    list.appendChild(item);
  });
  byId('back-btn').addEventListener('click', function () {
    bridge.notify({ type: 'closed', roomId: data.roomId });
  });
})();
`;

/** The simulator's home page: rooms with their join links, refreshed every two seconds. */
export const INDEX_PAGE_SCRIPT = /* js */ `
var data = JSON.parse(document.getElementById('sim-data').textContent);
(function () {
  'use strict';
  document.getElementById('api-url').textContent = data.apiUrl;
  document.getElementById('wc-url').textContent = data.webComponentUrl;
  function link(text, href) {
    var a = document.createElement('a');
    a.href = href; a.textContent = text; a.target = '_blank'; a.rel = 'noopener';
    return a;
  }
  function refresh() {
    fetch('/_sim/rooms').then(function (res) { return res.json(); }).then(function (rooms) {
      var body = document.getElementById('rooms');
      body.replaceChildren();
      rooms.forEach(function (room) {
        var row = document.createElement('tr');
        var cells = [room.roomName, room.roomId, room.status,
          String(room.meeting ? room.meeting.participants.length : 0), String(room.recordings.length)];
        cells.forEach(function (text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); });
        var links = document.createElement('td');
        links.appendChild(link('moderator', room.links.moderator));
        links.appendChild(document.createTextNode(' · '));
        links.appendChild(link('speaker', room.links.speaker));
        row.appendChild(links);
        body.appendChild(row);
      });
    }).catch(function () {});
  }
  refresh();
  setInterval(refresh, 2000);
})();
`;
