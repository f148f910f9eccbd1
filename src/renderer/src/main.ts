// Runs in the renderer: start-up — connect to the backend (bridge or WebSocket), then mount the app.
import { createPinia, disposePinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connect } from './api/connect'
import { provideClient } from './stores/client'

provideClient(connect())
const pinia = createPinia()
const app = createApp(App).use(pinia)
app.mount('#app')
// The page going away for good (a reload, the window closing): the views unmount and every store drops its
// backend subscriptions (composables/useBackendEvents.ts). A page kept in the back-forward cache stays whole.
window.addEventListener('pagehide', (e) => {
  if (e.persisted) return
  app.unmount()
  disposePinia(pinia)
})
