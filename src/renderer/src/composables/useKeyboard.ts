// Runs in the renderer: the keyboard map of the player. Keys act on the window unless the user is typing in
// a field. The map is data, so it can be shown as a cheat sheet and remapped later.
import { onBeforeUnmount, onMounted } from 'vue'
import { useVideoStore } from '../stores/video'

export interface KeyAction {
  key: string
  shift?: boolean
  label: string
  run: (video: ReturnType<typeof useVideoStore>) => void
}

export const PLAYER_KEYS: KeyAction[] = [
  { key: 'ArrowRight', label: 'Next frame', run: (v) => v.step(1) },
  { key: 'ArrowLeft', label: 'Previous frame', run: (v) => v.step(-1) },
  { key: 'ArrowRight', shift: true, label: '10 frames forward', run: (v) => v.step(10) },
  { key: 'ArrowLeft', shift: true, label: '10 frames back', run: (v) => v.step(-10) },
  { key: 'Home', label: 'First frame', run: (v) => v.seek(0) },
  { key: 'End', label: 'Last frame', run: (v) => v.seek(v.lastFrame) },
  { key: ' ', label: 'Play / pause', run: (v) => v.setPlaying(!v.playing) }
]

export function matchKey(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey'>,
  keys = PLAYER_KEYS
): KeyAction | undefined {
  return keys.find((k) => k.key === e.key && !!k.shift === e.shiftKey)
}

export function useKeyboard(): void {
  const video = useVideoStore()
  const onKey = (e: KeyboardEvent): void => {
    const target = e.target as HTMLElement | null
    if (target && target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'range') return
    if (target?.tagName === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return
    const action = matchKey(e)
    if (!action || !video.video) return
    e.preventDefault()
    if (action.key !== ' ') video.setPlaying(false)
    action.run(video)
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
