// Runs in the renderer: a chart.js chart that lives with its component — made on mount, its datasets redrawn
// whenever its source changes, destroyed on unmount — so a chart component says only what it plots.
import type { Chart, ChartType, DefaultDataPoint } from 'chart.js'
import { onBeforeUnmount, onMounted, watch, type Ref, type WatchSource } from 'vue'

export function useLiveChart<T extends ChartType, D = DefaultDataPoint<T>>(
  canvas: Ref<HTMLCanvasElement | null>,
  create: (el: HTMLCanvasElement) => Chart<T, D>,
  source: WatchSource | WatchSource[],
  datasets: () => Chart<T, D>['data']['datasets']
): () => Chart<T, D> | null {
  let chart: Chart<T, D> | null = null
  onMounted(() => {
    if (canvas.value) chart = create(canvas.value)
  })
  watch(source, () => {
    if (!chart) return
    chart.data.datasets = datasets()
    chart.update()
  })
  onBeforeUnmount(() => {
    chart?.destroy()
    chart = null
  })
  return () => chart
}
