import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The portal lives in web/; `npm start` serves web/dist from the API process, `npm run dev`
// runs this dev server with hot reload and forwards /api to the API (GONGSHU_API_URL).
export default defineConfig({
  root: 'web',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      output: {
        manualChunks: {
          react: ['react', 'react-dom', 'react-router'],
          antd: ['antd', '@ant-design/icons'],
          echarts: ['echarts'],
        },
      },
    },
  },
  server: {
    port: Number(process.env.VITE_PORT || 5173),
    proxy: {
      '/api': {
        target: process.env.GONGSHU_API_URL || 'http://127.0.0.1:8080',
        changeOrigin: false,
      },
    },
  },
});
