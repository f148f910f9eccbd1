// Runs in the renderer: the open clip's labels — columnar, edited optimistically (the change shows at once,
// the backend acknowledges once it is in the journal on disk), with undo and redo for as long as the project
// is open. Edits from other windows or tabs arrive as events and are applied too.
import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Result } from '@shared/api/contract'
import { createColumns, getFrame, type ClipColumns } from '@shared/project/columns'
import { applyEdits, invertEdits } from '@shared/project/edits'
import type { LabelEdit } from '@shared/project/schemas'
import { decodeColumns } from '@shared/project/wire'
import { CONNECTION_LOST, NOT_CONNECTED, RequestError } from '../api/transport'
import { useBackendEvents } from '../composables/useBackendEvents'
import { useClient } from './client'

type OpenedClip = Result<'clip.open'>

/** What the save state says when the backend turns an edit down or cannot be reached; the edit is undone. */
function refusalText(err: unknown): string {
  const code = err instanceof RequestError ? err.code : null
  if (code === NOT_CONNECTED)
    return "Not saved: the studio's backend is not connected. The edit was undone here; make it again once it is back."
  if (code === CONNECTION_LOST)
    return 'Not confirmed: the connection was lost before the studio answered. The edit was undone here; reopen the clip to see what its journal kept.'
  return `Not saved: ${(err as Error).message}`
}

interface HistoryEntry {
  what: string
  /** null for a step the backend applied itself (an import): its redo is read off the labels at undo time. */
  edits: LabelEdit[] | null
  inverse: LabelEdit[]
}

export const useLabelsStore = defineStore('labels', () => {
  const clip = shallowRef<OpenedClip | null>(null)
  const columns = shallowRef<ClipColumns>(createColumns(0))
  /** Bumped on every change of the columns (they are mutated in place for speed). */
  const version = ref(0)
  const seq = ref(0)
  const pending = ref(0)
  const problem = ref<string | null>(null)
  const undoStack = shallowRef<HistoryEntry[]>([])
  const redoStack = shallowRef<HistoryEntry[]>([])
  /** Sequence numbers this window produced, so their echo from the backend is not applied twice. */
  const ownSeqs = new Set<number>()
  /** Edits sent but not acknowledged yet; their echo may arrive before the acknowledgement. */
  let unacked = 0

  const canUndo = computed(() => undoStack.value.length > 0)
  const canRedo = computed(() => redoStack.value.length > 0)
  const saved = computed(() => pending.value === 0)

  const events = useBackendEvents((client) => [
    client.on('labels.changed', (e) => {
      if (!clip.value || e.clipId !== clip.value.clipId || ownSeqs.delete(e.seq) || unacked > 0) return
      if (e.seq <= seq.value) return
      applyEdits(columns.value, e.edits)
      seq.value = e.seq
      version.value++
    }),
    client.on('project.saveProblem', (e) => {
      if (clip.value?.clipId === e.clipId) problem.value = e.message
    }),
    client.on('project.saved', (e) => {
      if (clip.value?.clipId === e.clipId) problem.value = null
    })
  ])

  function load(opened: OpenedClip): void {
    events.listen()
    clip.value = opened
    columns.value = decodeColumns(opened.labels)
    seq.value = opened.seq
    undoStack.value = []
    redoStack.value = []
    problem.value = opened.warnings.length ? opened.warnings.join(' ') : null
    version.value++
  }

  function unload(): void {
    clip.value = null
    columns.value = createColumns(0)
    undoStack.value = []
    redoStack.value = []
    version.value++
  }

  /** Applies edits locally at once and sends them; on refusal they are rolled back and the reason shown. */
  async function apply(edits: LabelEdit[], history: 'push' | 'undo' | 'redo' = 'push'): Promise<boolean> {
    const c = clip.value
    if (!c || edits.length === 0) return false
    const inverse = invertEdits(columns.value, edits)
    applyEdits(columns.value, edits)
    version.value++
    const entry: HistoryEntry = { what: edits[0]?.what ?? 'Edit', edits, inverse }
    if (history === 'push') {
      undoStack.value = [...undoStack.value, entry]
      redoStack.value = []
    }
    pending.value++
    unacked++
    try {
      const ack = await useClient().call('labels.edit', { clipId: c.clipId, edits })
      ownSeqs.add(ack.seq)
      seq.value = Math.max(seq.value, ack.seq)
      return true
    } catch (err) {
      applyEdits(columns.value, inverse)
      version.value++
      if (history === 'push') undoStack.value = undoStack.value.filter((e) => e !== entry)
      problem.value = refusalText(err)
      return false
    } finally {
      pending.value--
      unacked--
    }
  }

  /**
   * Puts a step the backend applied on its own (an import: the changed frames arrive as labels.changed) on the
   * undo stack, with the edits that undo it, so Ctrl+Z takes back an import like any other edit.
   */
  function recordApplied(what: string, inverse: LabelEdit[]): void {
    if (!clip.value || inverse.length === 0) return
    undoStack.value = [...undoStack.value, { what, edits: null, inverse }]
    redoStack.value = []
  }

  // The stacks move at once, not when the backend answers: a second Ctrl+Z pressed before the first is
  // acknowledged must undo the step before it, not the same one again (or, worse, skip a redo).
  async function undo(): Promise<void> {
    const top = undoStack.value.at(-1)
    if (!top) return
    // What redoes it is what the labels are now, on the frames its undo touches.
    const entry = top.edits ? top : { ...top, edits: invertEdits(columns.value, top.inverse) }
    undoStack.value = undoStack.value.slice(0, -1)
    redoStack.value = [...redoStack.value, entry]
    if (!(await apply(entry.inverse, 'undo'))) {
      redoStack.value = redoStack.value.filter((e) => e !== entry)
      undoStack.value = [...undoStack.value, entry]
    }
  }

  async function redo(): Promise<void> {
    const entry = redoStack.value.at(-1)
    if (!entry) return
    redoStack.value = redoStack.value.slice(0, -1)
    undoStack.value = [...undoStack.value, entry]
    if (!(await apply(entry.edits ?? [], 'redo'))) {
      undoStack.value = undoStack.value.filter((e) => e !== entry)
      redoStack.value = [...redoStack.value, entry]
    }
  }

  function frame(n: number) {
    return n >= 0 && n < columns.value.frameCount ? getFrame(columns.value, n) : null
  }

  return {
    clip,
    columns,
    version,
    seq,
    pending,
    saved,
    problem,
    undoStack,
    redoStack,
    canUndo,
    canRedo,
    load,
    unload,
    apply,
    recordApplied,
    undo,
    redo,
    frame,
    dispose: events.dispose
  }
})
