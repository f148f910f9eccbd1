// Runs in the renderer: the open project — its library of matches and clips with their progress — and
// opening a clip, which brings its video into the player and its labels into the labels store.
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { Params, Result } from '@shared/api/contract'
import { useClient } from './client'
import { useLabelsStore } from './labels'
import { useAppStore } from './app'
import { useVideoStore } from './video'

type Library = Result<'project.open'>
type RecentProject = Result<'recent.list'>['projects'][number]

export const useProjectStore = defineStore('project', () => {
  const library = shallowRef<Library | null>(null)
  const busy = ref(false)
  const openClipId = ref<string | null>(null)
  /** The projects opened lately, newest first (kept by the backend across restarts). */
  const recent = shallowRef<RecentProject[]>([])

  async function run<T>(fn: () => Promise<T>): Promise<T> {
    busy.value = true
    try {
      return await fn()
    } finally {
      busy.value = false
    }
  }

  const loadRecent = async () => (recent.value = (await useClient().call('recent.list', {})).projects)
  /** Opening or creating a project puts it first in the recent list: the list follows. */
  const listed = <T>(result: T): T => {
    void loadRecent().catch(() => undefined)
    return result
  }
  const open = (dir: string) =>
    run(async () => (library.value = listed(await useClient().call('project.open', { dir }))))
  const create = (dir: string, name?: string) =>
    run(
      async () =>
        (library.value = listed(await useClient().call('project.create', { dir, ...(name ? { name } : {}) })))
    )
  const forgetRecent = async (dir: string) =>
    (recent.value = (await useClient().call('recent.forget', { dir })).projects)
  /**
   * At start: takes the project the backend has open (a reloaded page), else reopens the one opened last when its
   * folder is still there. True only when it reopened one from the list.
   */
  async function reopenLast(): Promise<boolean> {
    const client = useClient()
    const [list, current] = await Promise.all([
      loadRecent(),
      client.call('project.library', {}).catch(() => null)
    ])
    if (library.value) return false
    if (current) {
      library.value = current
      return false
    }
    const last = list[0]
    if (!last || last.missing) return false
    await open(last.dir)
    return true
  }
  const refresh = () => run(async () => (library.value = await useClient().call('project.library', {})))

  async function addVideos(params: Params<'project.addVideos'>): Promise<void> {
    await run(async () => (library.value = (await useClient().call('project.addVideos', params)).library))
  }

  async function renameMatch(from: string, to: string): Promise<void> {
    await run(async () => (library.value = await useClient().call('project.renameMatch', { from, to })))
  }

  async function removeClip(clipId: string): Promise<string> {
    return run(async () => {
      const res = await useClient().call('project.removeClip', { clipId })
      library.value = res.library
      return res.trashedTo
    })
  }

  async function openClip(clipId: string): Promise<void> {
    await run(async () => {
      const client = useClient()
      const opened = await client.call('clip.open', { clipId })
      useVideoStore().adopt({ videoId: opened.videoId, info: opened.info })
      useLabelsStore().load(opened)
      const previous = openClipId.value
      openClipId.value = clipId
      // The clip shown before is closed (its labels saved, its video let go), so clips looked at one after the
      // other do not each keep a video and its decoder open until the project closes. Its edits are journaled
      // already; a save that fails is said, not lost.
      if (previous && previous !== clipId)
        void client.call('clip.close', { clipId: previous }).catch((err) => useAppStore().report(err))
    })
  }

  return {
    library,
    busy,
    openClipId,
    recent,
    open,
    create,
    refresh,
    addVideos,
    renameMatch,
    removeClip,
    openClip,
    loadRecent,
    forgetRecent,
    reopenLast
  }
})
