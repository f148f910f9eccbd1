// Runs in the renderer: videos dropped on the studio, added to the open project — by their path in the desktop
// app (the preload tells it), by uploading their bytes in browser mode (a page cannot learn a path). Each file
// has its own line: progress while it goes, then added, or turned away with the reason.
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { checkDroppedFiles, MAX_VIDEO_UPLOAD_BYTES } from '@shared/project/video-files'
import { useClient } from './client'
import { useProjectStore } from './project'

export interface DropItem {
  id: number
  name: string
  size: number
  state: 'waiting' | 'sending' | 'added' | 'rejected'
  /** Bytes sent so far (uploads). */
  sent: number
  /** Why it was turned away, or where it went. */
  message: string
}

let nextId = 1

export const useDropsStore = defineStore('drops', () => {
  const items = ref<DropItem[]>([])
  const busy = computed(() => items.value.some((i) => i.state === 'waiting' || i.state === 'sending'))

  /** The item as reactive state (updating the plain object the list was built from would not show). */
  function item(id: number): DropItem {
    return items.value.find((i) => i.id === id)!
  }

  function reject(id: number, message: string): void {
    Object.assign(item(id), { state: 'rejected', message })
  }

  /** Adds the files to `match` of the open project ('reference' or 'copy' applies where paths are known). */
  async function add(files: readonly File[], match: string, mode: 'copy' | 'reference'): Promise<void> {
    const project = useProjectStore()
    const transport = useClient().transport
    const made = files.map((f) => ({
      id: nextId++,
      name: f.name,
      size: f.size,
      state: 'waiting' as DropItem['state'],
      sent: 0,
      message: ''
    }))
    items.value = [...items.value.filter((i) => i.state === 'waiting' || i.state === 'sending'), ...made]
    const library = project.library
    if (!library) {
      for (const m of made) reject(m.id, 'no project is open: open or create one in the Library first')
      return
    }
    const existing =
      library.matches
        .find((m) => m.name === match)
        ?.clips.filter((c) => c.videoKind !== 'none')
        .map((c) => c.clip) ?? []
    // Only uploads have a size limit: a path is referenced or copied on the same machine.
    const limit = transport.pathForFile ? null : MAX_VIDEO_UPLOAD_BYTES
    const verdicts = checkDroppedFiles(files, match, existing, limit)
    for (let i = 0; i < files.length; i++) {
      const v = verdicts[i]!
      const id = made[i]!.id
      if (!v.ok) {
        reject(id, v.reason)
        continue
      }
      Object.assign(item(id), { state: 'sending' })
      try {
        if (transport.pathForFile) {
          const path = transport.pathForFile(files[i]!)
          if (!path) throw new Error('it is not a file on this computer (dropped from a web page?)')
          await project.addVideos({ match, paths: [path], mode })
        } else if (transport.uploadVideo) {
          await transport.uploadVideo(files[i]!, match, (sent) => (item(id).sent = sent))
        } else {
          throw new Error('this window cannot add dropped files')
        }
        Object.assign(item(id), {
          state: 'added',
          sent: v.file.size,
          message: `added to ${match} as ${v.clip}`
        })
      } catch (err) {
        reject(id, err instanceof Error ? err.message : String(err))
      }
    }
    // Uploads land on disk behind the library's back: read it again so the new clips show.
    if (!transport.pathForFile) await project.refresh().catch(() => undefined)
  }

  function clear(): void {
    items.value = items.value.filter((i) => i.state === 'waiting' || i.state === 'sending')
  }

  return { items, busy, add, clear }
})
