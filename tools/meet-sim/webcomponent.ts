// `<openvidu-meet>`, served at `<basePath>/v1/openvidu-meet.js` like Meet's bundle
// (../../../shared/protocols/openvidu-meet.md §4.6): `room-url` | `recording-url`, other attributes copied
// into the iframe's query string, on/once/off, leaveRoom(), endMeeting(), and joined/left/closed events
// taken from the iframe's postMessages — only from that iframe's window and origin.
import type { RequestHandler } from 'express';

const WEB_COMPONENT_SOURCE = /* js */ `
(function () {
  'use strict';
  if (!window.customElements || window.customElements.get('openvidu-meet')) return;

  var URL_ATTRIBUTES = ['room-url', 'recording-url'];
  var COPIED_ATTRIBUTES = ['participant-name', 'leave-redirect-url', 'show-only-recordings'];
  var EVENTS = ['joined', 'left', 'closed'];

  class OpenViduMeet extends HTMLElement {
    static get observedAttributes() { return URL_ATTRIBUTES.concat(COPIED_ATTRIBUTES); }

    constructor() {
      super();
      this._targetOrigin = null;
      this._callbacks = new Map();
      this._iframe = document.createElement('iframe');
      this._iframe.setAttribute('title', 'OpenVidu Meet');
      this._iframe.setAttribute('allow', 'camera; microphone; display-capture; fullscreen; autoplay; compute-pressure');
      var style = document.createElement('style');
      style.textContent = ':host{display:block;width:100%;height:100%}iframe{display:block;width:100%;height:100%;border:0}';
      this.attachShadow({ mode: 'open' }).append(style, this._iframe);
      this._onMessage = this._onMessage.bind(this);
      this._iframe.addEventListener('load', () => {
        this._send({ command: 'initialize', payload: { domain: window.location.origin } });
      });
    }

    connectedCallback() {
      window.addEventListener('message', this._onMessage);
      this._updateIframeSrc();
    }

    disconnectedCallback() {
      window.removeEventListener('message', this._onMessage);
    }

    attributeChangedCallback() {
      if (this.isConnected) this._updateIframeSrc();
    }

    on(eventName, callback) {
      this._listen(eventName, callback, false);
      return this;
    }

    once(eventName, callback) {
      this._listen(eventName, callback, true);
      return this;
    }

    off(eventName, callback) {
      var byCallback = this._callbacks.get(eventName);
      if (!byCallback) return this;
      var callbacks = callback ? [callback] : Array.from(byCallback.keys());
      callbacks.forEach((cb) => {
        var wrapper = byCallback.get(cb);
        if (wrapper) this.removeEventListener(eventName, wrapper);
        byCallback.delete(cb);
      });
      return this;
    }

    leaveRoom() { this._send({ command: 'leaveRoom' }); }

    endMeeting() { this._send({ command: 'endMeeting' }); }

    kickParticipant(participantIdentity) {
      this._send({ command: 'kickParticipant', payload: { participantIdentity: participantIdentity } });
    }

    _listen(eventName, callback, once) {
      if (EVENTS.indexOf(eventName) === -1 || typeof callback !== 'function') return;
      if (!this._callbacks.has(eventName)) this._callbacks.set(eventName, new Map());
      var wrapper = (event) => {
        if (once) this.off(eventName, callback);
        callback(event.detail);
      };
      this.off(eventName, callback);
      this._callbacks.get(eventName).set(callback, wrapper);
      this.addEventListener(eventName, wrapper);
    }

    _updateIframeSrc() {
      var base = this.getAttribute('room-url') || this.getAttribute('recording-url');
      if (!base) {
        console.error('openvidu-meet: the room-url or recording-url attribute is required');
        return;
      }
      var url = new URL(base); // like Meet, an invalid URL (e.g. "null") throws here
      COPIED_ATTRIBUTES.forEach((name) => {
        var value = this.getAttribute(name);
        if (value !== null) url.searchParams.set(name, value);
      });
      this._targetOrigin = url.origin;
      if (this._iframe.src !== url.href) this._iframe.src = url.href;
    }

    _onMessage(event) {
      if (event.origin !== this._targetOrigin || event.source !== this._iframe.contentWindow) return;
      var message = event.data;
      if (!message || typeof message !== 'object' || EVENTS.indexOf(message.type) === -1) return;
      var detail = { roomId: message.roomId };
      if (message.participantIdentity !== undefined) detail.participantIdentity = message.participantIdentity;
      if (message.reason !== undefined) detail.reason = message.reason;
      this.dispatchEvent(new CustomEvent(message.type, { detail: detail }));
    }

    _send(message) {
      if (this._iframe.contentWindow && this._targetOrigin) this._iframe.contentWindow.postMessage(message, this._targetOrigin);
    }
  }

  window.customElements.define('openvidu-meet', OpenViduMeet);
})();
`;

export const serveWebComponent: RequestHandler = (_req, res) => {
  res
    .set({ 'Content-Type': 'application/javascript; charset=utf-8', 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-cache' })
    .send(WEB_COMPONENT_SOURCE);
};
