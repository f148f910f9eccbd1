// Runs in the renderer: start-up — connect to the backend (bridge or WebSocket), then mount the app.
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import App from './App.vue'
import { connect } from './api/connect'
import { provideClient } from './stores/client'

provideClient(connect())
createApp(App).use(createPinia()).mount('#app')
