from django.urls import re_path

from hil_os_dashboard.content.nodes import views

urlpatterns = [
    re_path(r'^$', views.IndexView.as_view(), name='index'),
    re_path(r'^attach/$', views.AttachView.as_view(), name='attach'),
    re_path(r'^(?P<node>[^/]+)/boot_device/$', views.BootDeviceView.as_view(),
            name='boot_device'),
]
